/** No loaded model answers to that name and version or alias: the HTTP layer answers 404. */
export class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';
  readonly statusCode = 404;

  /** @param requested the version number or alias that was asked for. */
  constructor(
    readonly model: string,
    readonly requested: string,
  ) {
    super(`model "${model}" has no loaded version or alias "${requested}"`);
  }
}
