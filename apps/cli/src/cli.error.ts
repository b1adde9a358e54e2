/** Exit codes of the slipway command, so scripts can tell failures apart. */
export const EXIT = {
  ok: 0,
  runFailed: 1,
  usage: 2,
  unreachable: 3,
  startupFailed: 4,
  denied: 5,
  /** The registry answered but its queue (Redis) did not: nothing was submitted, try again once Redis is back. */
  queueUnavailable: 6,
} as const;

/** A failure to report as one sentence and an exit code, without a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
