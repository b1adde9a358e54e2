import type { PredictionBatchEvent, PredictionRecord } from '@slipway/contracts';
import { predictionBatchEventSchema } from '@slipway/contracts';
import { PredictionRecorder, type PredictionRecorderOptions } from './prediction-recorder';

function record(index: number): PredictionRecord {
  return { model: 'iris', version: 1, rows: index + 1, latencyMs: index / 10, ok: index % 7 !== 0 };
}

describe('PredictionRecorder', () => {
  let batches: PredictionBatchEvent[];
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

  it('sends one batch as soon as maxBatchSize records are buffered, without waiting for the timer', async () => {
    const subject = create({ maxBatchSize: 5 });
    const records = Array.from({ length: 12 }, (_, index) => record(index));
    records.forEach((entry) => subject.record(entry));

    expect(batches.map((batch) => batch.records.length)).toEqual([5, 5]);
    expect(batches.flatMap((batch) => batch.records)).toEqual(records.slice(0, 10));
    for (const batch of batches) expect(predictionBatchEventSchema.parse(batch)).toEqual(batch);
    expect(subject.stats().buffered).toBe(2);

    await subject.close();
    expect(batches.map((batch) => batch.records.length)).toEqual([5, 5, 2]);
    expect(subject.stats()).toEqual({ buffered: 0, sent: 12, dropped: 0 });
  });

  it('sends a partial batch when the flush interval passes, and nothing while the buffer is empty', async () => {
    const sink = jest.fn(async (batch: PredictionBatchEvent) => {
      batches.push(batch);
    });
    const subject = create({ sink, flushIntervalMs: 250, maxBatchSize: 100 });
    jest.advanceTimersByTime(250);
    expect(sink).not.toHaveBeenCalled();

    subject.record(record(0));
    subject.record(record(1));
    jest.advanceTimersByTime(249);
    expect(sink).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);

    expect(batches).toEqual([{ source: 'serving-test', records: [record(0), record(1)] }]);
    await subject.close();
    expect(sink).toHaveBeenCalledTimes(1);
    expect(subject.stats()).toEqual({ buffered: 0, sent: 2, dropped: 0 });
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

    expect(() => [0, 1, 2].forEach((index) => subject.record(record(index)))).not.toThrow();
    await subject.flush();
    [3, 4, 5].forEach((index) => subject.record(record(index)));
    await subject.close();

    expect(subject.stats()).toEqual({ buffered: 0, sent: 3, dropped: 3 });
    expect(batches.flatMap((batch) => batch.records)).toEqual([record(3), record(4), record(5)]);
    expect(logged).toHaveLength(1);
    expect(logged[0].context).toMatchObject({ source: 'serving-test', records: 3, error: 'redis is down' });
  });

  it('also survives a sink that throws synchronously', async () => {
    const subject = create({
      sink: () => {
        throw new Error('not connected');
      },
    });
    subject.record(record(0));
    await expect(subject.flush()).resolves.toBeUndefined();
    expect(subject.stats().dropped).toBe(1);
    expect(logged[0].context).toMatchObject({ error: 'not connected' });
  });

  it('close sends what is left, waits for sends in flight, and stops the timer', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sink = jest.fn(async (batch: PredictionBatchEvent) => {
      if (batch.records.length === 2) await slow;
      batches.push(batch);
    });
    const subject = create({ sink, maxBatchSize: 2 });
    [0, 1, 2].forEach((index) => subject.record(record(index)));

    let closed = false;
    const closing = subject.close().then(() => {
      closed = true;
    });
    await Promise.resolve();
    expect(sink).toHaveBeenCalledTimes(2);
    expect(closed).toBe(false);

    release();
    await closing;
    expect(batches.flatMap((batch) => batch.records)).toEqual([record(2), record(0), record(1)]);
    expect(jest.getTimerCount()).toBe(0);

    subject.record(record(3));
    expect(subject.stats()).toEqual({ buffered: 0, sent: 3, dropped: 1 });
  });
});
