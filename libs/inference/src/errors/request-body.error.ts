/** A body that could not be read as sent: corrupt compressed data, or a client that stopped half way. */
export class RequestBodyError extends Error {
  override readonly name = 'RequestBodyError';
}
