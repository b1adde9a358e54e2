import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryOptions {
  /** Tries in all, the first included. @defaultValue 5 */
  attempts?: number;
  /** Wait before the second try; doubled before each further one. @defaultValue 500 ms */
  baseDelayMs?: number;
  /** Longest wait between two tries. @defaultValue 30 000 ms */
  maxDelayMs?: number;
  /** Stops waiting (and retrying) when aborted, e.g. at shutdown. */
  signal?: AbortSignal;
  /** Called after a failed try that will be retried. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** How to wait; tests pass one that records the delays. @defaultValue timers/promises setTimeout */
  wait?: (delayMs: number, signal?: AbortSignal) => Promise<unknown>;
}

/** Runs `task` until it resolves or the tries are used up, waiting exponentially longer in between; rethrows the last error. */
export async function retryWithBackoff<T>(task: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const wait = options.wait ?? ((delayMs: number, signal?: AbortSignal) => sleep(delayMs, undefined, { signal }));
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (attempt >= attempts || options.signal?.aborted) throw error;
      const delayMs = Math.min(max, base * 2 ** (attempt - 1));
      options.onRetry?.(error, attempt, delayMs);
      await wait(delayMs, options.signal);
    }
  }
}
