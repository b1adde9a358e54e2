/** A request body, query or path parameter failed its contract; the message names the fields. */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
}
