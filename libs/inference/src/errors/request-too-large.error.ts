/**
 * A request over one of serving's size limits (body bytes, rows or tensor elements): the message names the limit and
 * the variable that sets it, so the client knows how to split the request and the operator what to raise.
 */
export class RequestTooLargeError extends Error {
  override readonly name = 'RequestTooLargeError';

  /** @param field the input at fault, when one is. */
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
