import { QueueFullError } from '../errors/queue-full.error';
import type { BatchObserver } from './batch-observer';
import type { BatchCodec, ModelCall, Predictor } from './predictor';

export interface BatchingOptions {
  /** Largest batch in rows; a batch runs as soon as it holds this many. @defaultValue 64 */
  maxBatchSize: number;
  /** How long the first request of a batch may wait for company, in microseconds. @defaultValue 0 (Triton semantics: batch what queued up while the model was busy) */
  maxQueueDelayUs: number;
  /** Requests allowed to wait; one more is refused with QueueFullError (HTTP 429). @defaultValue 1024 */
  maxQueueSize: number;
}

interface Pending<I, O> {
  input: I;
  rowCount: number;
  enqueuedAt: number;
  resolve: (outputs: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Triton-style dynamic batching for one model version: requests that arrive together run as one model call.
 * A batch runs when it is full or when its first request has waited `maxQueueDelayUs`. Batches run one at a
 * time, each in its own macrotask, so HTTP keeps being served between them; every caller gets exactly its own
 * rows back. Requests are validated before they get here, so one caller's bad input never reaches a batch.
 */
export class DynamicBatcher<I = Float32Array, O = Float32Array> implements Predictor<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private running = false;

  constructor(
    private readonly identity: { model: string; version: number },
    private readonly call: ModelCall<I, O>,
    private readonly codec: BatchCodec<I, O>,
    private readonly options: BatchingOptions,
    private readonly observe: BatchObserver = () => undefined,
  ) {}

  predict(input: I, rowCount: number): Promise<O> {
    if (this.queue.length >= this.options.maxQueueSize) {
      return Promise.reject(new QueueFullError(this.identity.model, this.identity.version, this.options.maxQueueSize));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ input, rowCount, enqueuedAt: performance.now(), resolve, reject });
      this.queuedRows += rowCount;
      this.schedule();
    });
  }

  /** Requests waiting for a batch right now. */
  get pending(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.running || this.immediate || this.queue.length === 0) return;
    const waitedUs = (performance.now() - (this.queue[0]?.enqueuedAt ?? 0)) * 1000;
    if (this.queuedRows >= this.options.maxBatchSize || waitedUs >= this.options.maxQueueDelayUs) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.immediate = setImmediate(() => this.runBatch());
    } else if (!this.timer) {
      const remainingMs = (this.options.maxQueueDelayUs - waitedUs) / 1000;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, remainingMs);
    }
  }

  private runBatch(): void {
    this.immediate = undefined;
    this.running = true;
    const batch = this.takeBatch();
    const rows = batch.reduce((sum, request) => sum + request.rowCount, 0);
    const startedAt = performance.now();
    const queueUs = batch.map((request) => Math.round((startedAt - request.enqueuedAt) * 1000));
    const finish = (failed: boolean) => {
      this.observe({ rows, requests: batch.length, queueUs, computeUs: Math.round((performance.now() - startedAt) * 1000), failed });
      this.running = false;
      this.schedule();
    };
    const answer = (outputs: O) => {
      let offset = 0;
      for (const request of batch) {
        request.resolve(this.codec.slice(outputs, offset, offset + request.rowCount));
        offset += request.rowCount;
      }
      finish(false);
    };
    const fail = (error: unknown) => {
      for (const request of batch) request.reject(error);
      finish(true);
    };
    let outputs: O | Promise<O>;
    try {
      outputs = this.call(this.codec.concat(batch.map((request) => request.input), rows), rows);
    } catch (error) {
      fail(error);
      return;
    }
    // A synchronous model answers in this macrotask; an asynchronous one (onnxruntime) when its threads are done.
    if (outputs instanceof Promise) outputs.then(answer, fail);
    else answer(outputs);
  }

  /** Requests from the head of the queue up to maxBatchSize rows; a single larger request runs alone. */
  private takeBatch(): Pending<I, O>[] {
    const batch: Pending<I, O>[] = [];
    let rows = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Pending<I, O>;
      if (batch.length > 0 && rows + next.rowCount > this.options.maxBatchSize) break;
      batch.push(next);
      this.queue.shift();
      rows += next.rowCount;
      this.queuedRows -= next.rowCount;
    }
    return batch;
  }
}
