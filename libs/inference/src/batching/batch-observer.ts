/** What one executed batch looked like, for metrics and statistics. */
export interface BatchExecution {
  rows: number;
  requests: number;
  /** Time each request of the batch waited in the queue, in microseconds. */
  queueUs: number[];
  /** Time the model call took for the whole batch, in microseconds. */
  computeUs: number;
  failed: boolean;
}

export type BatchObserver = (execution: BatchExecution) => void;
