import { emptyPredictionLogGroup, type PredictionLogEvent, type PredictionLogGroup } from '@slipway/contracts';
import { appendSample, type PredictionSample } from './prediction-sample';

/** Receives one batch of records as the columnar log, e.g. by adding a `prediction-log` job to the events queue. */
export type PredictionLogSink = (event: PredictionLogEvent) => Promise<void>;

/** Where the recorder reports batches it had to drop. */
export type RecorderLogger = (message: string, context: Record<string, unknown>) => void;

/** What the recorder keeps of an answered request until its batch is sent (a gateway `RequestOutcome` is one). */
export interface RecordedRequest {
  model: string;
  version: number;
  rows: number;
  durationUs: number;
  ok: boolean;
  /** Set on sampled successful predictions; turned into the log's sample columns when the batch is sent. */
  prediction?: PredictionSample;
}

export interface PredictionRecorderOptions {
  /** Names this replica in every batch (`PredictionLogEvent.source`). */
  source: string;
  sink: PredictionLogSink;
  logger: RecorderLogger;
  /**
   * Longest time a record waits in the buffer before it is sent.
   * @defaultValue 1000
   */
  flushIntervalMs?: number;
  /**
   * Records per batch: a full batch is sent on the next event-loop turn, one batch per turn. Building, validating
   * and serialising a batch's columns holds the event loop about 1.5 µs per record (under a millisecond for 500),
   * while monitoring pays a few milliseconds per job whatever its size.
   * @defaultValue 500
   */
  maxBatchSize?: number;
  /**
   * Records held at most, buffered or being sent; more are dropped (and counted) rather than letting a slow or
   * hanging sink grow serving's memory.
   * @defaultValue 10000
   */
  maxPendingRecords?: number;
}

export interface PredictionRecorderStats {
  /** Records waiting for the next batch. */
  buffered: number;
  /** Records in batches the sink has not settled yet. */
  sending: number;
  /** Records the sink accepted. */
  sent: number;
  /** Records lost to a failing sink, to a full buffer, or recorded after close. */
  dropped: number;
}

/**
 * Buffers answered requests and sends them as prediction records in batches. The request path only pushes a
 * reference into an array: building the log's columns (labels, plain numbers), validating and sending them
 * happens later, in a timer or `setImmediate` turn of its own, and never waits on (or fails because of) the sink.
 */
export class PredictionRecorder {
  private buffer: RecordedRequest[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timer: NodeJS.Timeout;
  private immediate: NodeJS.Immediate | undefined;
  private readonly maxBatchSize: number;
  private readonly maxPendingRecords: number;
  private sending = 0;
  private sent = 0;
  private dropped = 0;
  private closed = false;

  constructor(private readonly options: PredictionRecorderOptions) {
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.maxPendingRecords = options.maxPendingRecords ?? 10_000;
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1_000);
    // Buffered records must not keep a process alive that is otherwise done; close() sends what is left.
    this.timer.unref();
  }

  /** Synchronous and cheap: keeps the request, and schedules a send for the next turn once a batch is full. */
  record(request: RecordedRequest): void {
    if (this.closed || this.buffer.length + this.sending >= this.maxPendingRecords) {
      this.dropped += 1;
      return;
    }
    this.buffer.push(request);
    if (this.buffer.length >= this.maxBatchSize && !this.immediate) this.immediate = setImmediate(this.sendFullBatch);
  }

  /** Sends everything buffered now, in batches of at most maxBatchSize; never rejects (a failing sink drops its batch and logs it). */
  async flush(): Promise<void> {
    const sends: Promise<void>[] = [];
    while (this.buffer.length > 0) sends.push(this.sendBatch(this.buffer.splice(0, this.maxBatchSize)));
    await Promise.all(sends);
  }

  stats(): PredictionRecorderStats {
    return { buffered: this.buffer.length, sending: this.sending, sent: this.sent, dropped: this.dropped };
  }

  /** Stops the timer, sends what is buffered and waits for every send still running. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    clearImmediate(this.immediate);
    this.immediate = undefined;
    await this.flush();
    await Promise.all(this.inFlight);
  }

  /** One full batch per event-loop turn, so the HTTP requests that arrive meanwhile are served in between. */
  private readonly sendFullBatch = (): void => {
    this.immediate = undefined;
    if (this.buffer.length < this.maxBatchSize) return;
    void this.sendBatch(this.buffer.splice(0, this.maxBatchSize));
    if (this.buffer.length >= this.maxBatchSize) this.immediate = setImmediate(this.sendFullBatch);
  };

  private sendBatch(requests: RecordedRequest[]): Promise<void> {
    this.sending += requests.length;
    const sending = this.send(requests).finally(() => {
      this.sending -= requests.length;
      this.inFlight.delete(sending);
    });
    this.inFlight.add(sending);
    return sending;
  }

  private async send(requests: RecordedRequest[]): Promise<void> {
    try {
      await this.options.sink(predictionLogOf(this.options.source, requests));
      this.sent += requests.length;
    } catch (error) {
      this.dropped += requests.length;
      this.options.logger('prediction batch dropped: the sink failed', {
        source: this.options.source,
        records: requests.length,
        droppedTotal: this.dropped,
        error: (error as Error).message,
      });
    }
  }
}

/** The columnar log of a batch: one group per model version, requests and samples in the order they were answered. */
export function predictionLogOf(source: string, requests: readonly RecordedRequest[]): PredictionLogEvent {
  const groups = new Map<string, PredictionLogGroup>();
  for (const request of requests) {
    const key = `${request.model}@${request.version}`;
    let group = groups.get(key);
    if (!group) {
      group = emptyPredictionLogGroup(request.model, request.version);
      groups.set(key, group);
    }
    group.requests.latencyMs.push(request.durationUs / 1000);
    group.requests.rows.push(request.rows);
    group.requests.ok.push(request.ok);
    if (request.prediction) appendSample(group.samples, request.prediction);
  }
  return { source, groups: [...groups.values()] };
}
