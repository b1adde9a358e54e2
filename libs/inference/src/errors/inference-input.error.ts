/** A request the model cannot answer as sent: the HTTP layer answers 400 with this message. */
export class InferenceInputError extends Error {
  override readonly name = 'InferenceInputError';
  readonly statusCode = 400;

  /** @param field the input (or requested output / request field) at fault, when one is. */
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
