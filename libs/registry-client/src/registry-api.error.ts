/** The registry answered with an error, or could not be reached; carries the URL tried. */
export class RegistryApiError extends Error {
  override readonly name = 'RegistryApiError';
  constructor(
    message: string,
    readonly url: string,
    /** HTTP status, or undefined when the registry could not be reached. */
    readonly status?: number,
  ) {
    super(message);
  }
}
