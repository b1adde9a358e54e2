/** Bytes that are not a model Slipway can serve: not the format they claim, or a model the runtime cannot run. */
export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
}
