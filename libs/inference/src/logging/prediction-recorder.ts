import type { PredictionBatchEvent, PredictionRecord } from '@slipway/contracts';

/** Receives one batch of records, e.g. by adding a `prediction-batch` job to the events queue. */
export type PredictionBatchSink = (batch: PredictionBatchEvent) => Promise<void>;

/** Where the recorder reports batches it had to drop. */
export type RecorderLogger = (message: string, context: Record<string, unknown>) => void;

export interface PredictionRecorderOptions {
  /** Names this replica in every batch (`PredictionBatchEvent.source`). */
  source: string;
  sink: PredictionBatchSink;
  logger: RecorderLogger;
  /**
   * Longest time a record waits in the buffer before it is sent.
   * @defaultValue 1000
   */
  flushIntervalMs?: number;
  /**
   * Records per batch: reaching it sends the buffer at once.
   * @defaultValue 500
   */
  maxBatchSize?: number;
}

export interface PredictionRecorderStats {
  /** Records waiting for the next flush. */
  buffered: number;
  /** Records the sink accepted. */
  sent: number;
  /** Records lost to a failing sink or recorded after close. */
  dropped: number;
}

/**
 * Buffers prediction records and sends them in batches, so the request path only pushes into an array and
 * never waits on (or fails because of) the events queue.
 */
export class PredictionRecorder {
  private buffer: PredictionRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timer: NodeJS.Timeout;
  private readonly maxBatchSize: number;
  private sent = 0;
  private dropped = 0;
  private closed = false;

  constructor(private readonly options: PredictionRecorderOptions) {
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1_000);
    // Buffered records must not keep a process alive that is otherwise done; close() sends what is left.
    this.timer.unref();
  }

  /** Synchronous and cheap: buffers the record, and starts a send in the background when the batch is full. */
  record(record: PredictionRecord): void {
    if (this.closed) {
      this.dropped += 1;
      return;
    }
    this.buffer.push(record);
    if (this.buffer.length >= this.maxBatchSize) void this.flush();
  }

  /** Sends the buffered records as one batch now; never rejects (a failing sink drops the batch and logs it). */
  flush(): Promise<void> {
    if (this.buffer.length === 0) return Promise.resolve();
    const records = this.buffer;
    this.buffer = [];
    const sending = this.send(records).finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
    return sending;
  }

  stats(): PredictionRecorderStats {
    return { buffered: this.buffer.length, sent: this.sent, dropped: this.dropped };
  }

  /** Stops the timer, sends what is buffered and waits for every send still running. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
    await Promise.all(this.inFlight);
  }

  private async send(records: PredictionRecord[]): Promise<void> {
    try {
      await this.options.sink({ source: this.options.source, records });
      this.sent += records.length;
    } catch (error) {
      this.dropped += records.length;
      this.options.logger('prediction batch dropped: the sink failed', {
        source: this.options.source,
        records: records.length,
        droppedTotal: this.dropped,
        error: (error as Error).message,
      });
    }
  }
}
