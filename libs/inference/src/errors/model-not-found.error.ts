/** No loaded model answers to that name and version or alias. */
export class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';

  /** @param requested the version number or alias that was asked for. */
  constructor(
    readonly model: string,
    readonly requested: string,
  ) {
    super(`model "${model}" has no loaded version or alias "${requested}"`);
  }
}
