/** Params are write-once: a second write of a key with another value is refused (HTTP 409). */
export class RunParamConflictError extends Error {
  override readonly name = 'RunParamConflictError';
  constructor(
    readonly runId: string,
    readonly key: string,
    readonly stored: string,
  ) {
    super(`param "${key}" of run "${runId}" is already set to ${JSON.stringify(stored)}; params are write-once`);
  }
}
