/** A body in a content type or content encoding the endpoint does not take; the message names what it takes. */
export class UnsupportedMediaTypeError extends Error {
  override readonly name = 'UnsupportedMediaTypeError';
}
