import { QueueFullError } from '../errors/queue-full.error';
import type { BatchObserver } from './batch-observer';
import type { ModelCall, Predictor } from './predictor';

export interface BatchingOptions {
  /** Largest batch in rows; a batch runs as soon as it holds this many. @defaultValue 64 */
  maxBatchSize: number;
  /** How long the first request of a batch may wait for company, in microseconds. @defaultValue 0 (Triton semantics: batch what queued up while the model was busy) */
  maxQueueDelayUs: number;
  /** Requests allowed to wait; one more is refused with QueueFullError (HTTP 429). @defaultValue 1024 */
  maxQueueSize: number;
}

interface Pending {
  features: Float32Array;
  rowCount: number;
  enqueuedAt: number;
  resolve: (outputs: Float32Array) => void;
  reject: (error: unknown) => void;
}

/**
 * Triton-style dynamic batching for one model version: requests that arrive together run as one model call.
 * A batch runs when it is full or when its first request has waited `maxQueueDelayUs`. Batches run one at a
 * time, each in its own macrotask, so HTTP keeps being served between them; every caller gets exactly its own
 * rows back. Requests are validated before they get here, so one caller's bad input never reaches a batch.
 */
export class DynamicBatcher implements Predictor {
  private readonly queue: Pending[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private running = false;

  constructor(
    private readonly identity: { model: string; version: number },
    private readonly call: ModelCall,
    private readonly inputWidth: number,
    private readonly outputWidth: number,
    private readonly options: BatchingOptions,
    private readonly observe: BatchObserver = () => undefined,
  ) {}

  predict(features: Float32Array, rowCount: number): Promise<Float32Array> {
    if (this.queue.length >= this.options.maxQueueSize) {
      return Promise.reject(new QueueFullError(this.identity.model, this.identity.version, this.options.maxQueueSize));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ features, rowCount, enqueuedAt: performance.now(), resolve, reject });
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
    try {
      const outputs = this.call(this.concatenate(batch, rows), rows);
      let offset = 0;
      for (const request of batch) {
        request.resolve(outputs.slice(offset * this.outputWidth, (offset + request.rowCount) * this.outputWidth));
        offset += request.rowCount;
      }
      this.observe({ rows, requests: batch.length, queueUs, computeUs: Math.round((performance.now() - startedAt) * 1000), failed: false });
    } catch (error) {
      for (const request of batch) request.reject(error);
      this.observe({ rows, requests: batch.length, queueUs, computeUs: Math.round((performance.now() - startedAt) * 1000), failed: true });
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  /** Requests from the head of the queue up to maxBatchSize rows; a single larger request runs alone. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Pending;
      if (batch.length > 0 && rows + next.rowCount > this.options.maxBatchSize) break;
      batch.push(next);
      this.queue.shift();
      rows += next.rowCount;
      this.queuedRows -= next.rowCount;
    }
    return batch;
  }

  private concatenate(batch: Pending[], rows: number): Float32Array {
    if (batch.length === 1) return (batch[0] as Pending).features;
    const features = new Float32Array(rows * this.inputWidth);
    let offset = 0;
    for (const request of batch) {
      features.set(request.features, offset);
      offset += request.features.length;
    }
    return features;
  }
}
