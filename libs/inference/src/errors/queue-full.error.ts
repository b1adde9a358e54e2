/** A model's batching queue is at its limit; the client should retry after a short pause. */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
  /** Sent as the Retry-After header. */
  readonly retryAfterSeconds = 1;

  constructor(
    readonly model: string,
    readonly version: number,
    limit: number,
  ) {
    super(`model "${model}" version ${version} has ${limit} requests waiting, its queue limit; retry shortly`);
  }
}
