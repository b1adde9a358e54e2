/** Only a failed run can be resumed: a running one is still going, a succeeded one has nothing left to do. */
export class RunNotResumableError extends Error {
  override readonly name = 'RunNotResumableError';

  constructor(
    readonly runId: string,
    readonly status: string,
    reason = 'only a failed run can be resumed',
  ) {
    super(`run "${runId}" is ${status}; ${reason}`);
  }
}
