import { predictionLogEventSchema, predictionLogRequestCount, type PredictionLogEvent } from '@slipway/contracts';
import { PredictionRecorder, type PredictionRecorderOptions, type RecordedRequest } from './prediction-recorder';

function request(index: number, model = 'iris'): RecordedRequest {
  return { model, version: 1, rows: index + 1, durationUs: index * 100, ok: index % 7 !== 0 };
}

interface LoggedRequest {
  model: string;
  version: number;
  rows: number;
  ok: boolean;
  latencyMs: number;
}

/** What the log says of an unsampled request: its latency in milliseconds. */
function loggedOf({ model, version, rows, ok, durationUs }: RecordedRequest): LoggedRequest {
  return { model, version, rows, ok, latencyMs: durationUs / 1000 };
}

/** Reads the request columns back into one entry per request, group by group. */
function requestsIn(events: PredictionLogEvent[]): LoggedRequest[] {
  return events.flatMap((event) =>
    event.groups.flatMap(({ model, version, requests }) =>
      requests.latencyMs.map((latencyMs, i) => ({ model, version, rows: requests.rows[i] as number, ok: requests.ok[i] as boolean, latencyMs })),
    ),
  );
}

const sizes = (events: PredictionLogEvent[]) => events.map(predictionLogRequestCount);

describe('PredictionRecorder', () => {
  let batches: PredictionLogEvent[];
  let logged: { message: string; context: Record<string, unknown> }[];
  let recorder: PredictionRecorder | undefined;

  function create(options: Partial<PredictionRecorderOptions> = {}): PredictionRecorder {
    recorder = new PredictionRecorder({
      source: 'serving-test',
      sink: async (batch) => {
        batches.push(batch);
      },
      logger: (message, context) => logged.push({ message, context }),
      flushIntervalMs: 1_000,
      maxBatchSize: 5,
      ...options,
    });
    return recorder;
  }

  beforeEach(() => {
    batches = [];
    logged = [];
    jest.useFakeTimers();
  });

  afterEach(async () => {
    await recorder?.close();
    recorder = undefined;
    jest.useRealTimers();
  });

  it('sends full batches on later event-loop turns, one batch per turn, never inside record()', async () => {
    const subject = create({ maxBatchSize: 5 });
    const requests = Array.from({ length: 12 }, (_, index) => request(index));
    requests.forEach((entry) => subject.record(entry));
    expect(batches).toEqual([]);
    expect(subject.stats().buffered).toBe(12);

    jest.advanceTimersToNextTimer();
    expect(sizes(batches)).toEqual([5]);
    jest.advanceTimersToNextTimer();
    expect(sizes(batches)).toEqual([5, 5]);
    expect(requestsIn(batches)).toEqual(requests.slice(0, 10).map(loggedOf));
    for (const batch of batches) expect(predictionLogEventSchema.parse(batch)).toEqual(batch);
    expect(subject.stats().buffered).toBe(2);

    await subject.close();
    expect(sizes(batches)).toEqual([5, 5, 2]);
    expect(subject.stats()).toEqual({ buffered: 0, sending: 0, sent: 12, dropped: 0 });
  });

  it('sends a partial batch when the flush interval passes, and nothing while the buffer is empty', async () => {
    const sink = jest.fn(async (batch: PredictionLogEvent) => {
      batches.push(batch);
    });
    const subject = create({ sink, flushIntervalMs: 250, maxBatchSize: 100 });
    jest.advanceTimersByTime(250);
    expect(sink).not.toHaveBeenCalled();

    subject.record(request(0));
    subject.record(request(1));
    jest.advanceTimersByTime(249);
    expect(sink).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);

    expect(batches.map((batch) => batch.source)).toEqual(['serving-test']);
    expect(requestsIn(batches)).toEqual([loggedOf(request(0)), loggedOf(request(1))]);
    await subject.close();
    expect(sink).toHaveBeenCalledTimes(1);
    expect(subject.stats()).toEqual({ buffered: 0, sending: 0, sent: 2, dropped: 0 });
  });

  it('groups a batch by model version, keeping the requests of each version in the order they were answered', async () => {
    const subject = create({ maxBatchSize: 100 });
    const mixed = [request(0, 'iris'), request(1, 'wine'), request(2, 'iris'), { ...request(3, 'iris'), version: 2 }];
    mixed.forEach((entry) => subject.record(entry));
    await subject.flush();

    expect(batches[0]?.groups.map(({ model, version }) => `${model}@${version}`)).toEqual(['iris@1', 'wine@1', 'iris@2']);
    expect(requestsIn(batches)).toEqual([mixed[0], mixed[2], mixed[1], mixed[3]].map((entry) => loggedOf(entry as RecordedRequest)));
  });

  it('fills the sample columns of sampled predictions when their batch is sent: plain numbers, one most probable label per row', async () => {
    const subject = create({ maxBatchSize: 100 });
    const at = Date.parse('2026-03-01T12:00:00.000Z');
    const probabilities = new Float32Array([0.1, 0.7, 0.2, 0.6, 0.3, 0.1]);
    const classes = ['setosa', 'versicolor', 'virginica'];
    subject.record({ ...request(1), prediction: { id: 'req-1', at, columns: { petal_length: [1.4, 5.2], colour: [3, 4] }, predictions: { task: 'classification', probabilities, classes }, rows: 2 } });
    subject.record(request(2));
    subject.record({ ...request(3), prediction: { id: 'req-3', at: at + 5, columns: { petal_length: [6.1], colour: [5] }, predictions: { task: 'classification', probabilities: new Float32Array([0, 0.1, 0.9]), classes }, rows: 1 } });
    await subject.flush();

    const [group] = predictionLogEventSchema.parse(batches[0]).groups;
    expect(group?.samples).toEqual({
      ids: ['req-1', 'req-3'],
      answeredAtMs: [at, at + 5],
      rows: [2, 1],
      inputs: { petal_length: [1.4, 5.2, 6.1], colour: [3, 4, 5] },
      labels: ['versicolor', 'setosa', 'virginica'],
    });
    expect(Array.isArray(group?.samples.inputs['colour'])).toBe(true);
    expect(group?.requests.latencyMs).toHaveLength(3);
  });

  it('holds at most maxPendingRecords, counting buffered and unsettled ones, and drops (and counts) the rest', async () => {
    let settle: () => void = () => undefined;
    const sink = jest.fn(() => new Promise<void>((resolve) => (settle = resolve)));
    const subject = create({ sink, maxBatchSize: 100, maxPendingRecords: 3 });
    [0, 1, 2, 3].forEach((index) => subject.record(request(index)));
    expect(subject.stats()).toEqual({ buffered: 3, sending: 0, sent: 0, dropped: 1 });

    const flushed = subject.flush();
    subject.record(request(4));
    expect(subject.stats()).toEqual({ buffered: 0, sending: 3, sent: 0, dropped: 2 });

    settle();
    await flushed;
    subject.record(request(5));
    expect(subject.stats()).toEqual({ buffered: 1, sending: 0, sent: 3, dropped: 2 });
    const closing = subject.close();
    settle();
    await closing;
    expect(subject.stats()).toEqual({ buffered: 0, sending: 0, sent: 4, dropped: 2 });
  });

  it('survives a failing sink: record never throws, the batch is counted as dropped and logged, later batches go through', async () => {
    let failNext = true;
    const subject = create({
      maxBatchSize: 3,
      sink: async (batch) => {
        if (failNext) {
          failNext = false;
          throw new Error('redis is down');
        }
        batches.push(batch);
      },
    });

    expect(() => [0, 1, 2].forEach((index) => subject.record(request(index)))).not.toThrow();
    await subject.flush();
    [3, 4, 5].forEach((index) => subject.record(request(index)));
    await subject.close();

    expect(subject.stats()).toEqual({ buffered: 0, sending: 0, sent: 3, dropped: 3 });
    expect(requestsIn(batches)).toEqual([3, 4, 5].map((index) => loggedOf(request(index))));
    expect(logged).toHaveLength(1);
    expect(logged[0].context).toMatchObject({ source: 'serving-test', records: 3, error: 'redis is down' });
  });

  it('also survives a sink that throws synchronously', async () => {
    const subject = create({
      sink: () => {
        throw new Error('not connected');
      },
    });
    subject.record(request(0));
    await expect(subject.flush()).resolves.toBeUndefined();
    expect(subject.stats().dropped).toBe(1);
    expect(logged[0].context).toMatchObject({ error: 'not connected' });
  });

  it('close sends what is left in batches, waits for sends in flight, and stops its timers', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sink = jest.fn(async (batch: PredictionLogEvent) => {
      if (predictionLogRequestCount(batch) === 2) await slow;
      batches.push(batch);
    });
    const subject = create({ sink, maxBatchSize: 2 });
    [0, 1, 2].forEach((index) => subject.record(request(index)));

    let closed = false;
    const closing = subject.close().then(() => {
      closed = true;
    });
    await Promise.resolve();
    expect(sink).toHaveBeenCalledTimes(2);
    expect(closed).toBe(false);

    release();
    await closing;
    expect(requestsIn(batches)).toEqual([2, 0, 1].map((index) => loggedOf(request(index))));
    expect(jest.getTimerCount()).toBe(0);

    subject.record(request(3));
    expect(subject.stats()).toEqual({ buffered: 0, sending: 0, sent: 3, dropped: 1 });
  });
});
