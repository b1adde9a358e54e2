/** A request the model cannot answer as sent; the message names the input at fault. */
export class InferenceInputError extends Error {
  override readonly name = 'InferenceInputError';

  /** @param field the input (or requested output / request field) at fault, when one is. */
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
