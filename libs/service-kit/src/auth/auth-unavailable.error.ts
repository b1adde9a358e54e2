/** The registry, which knows the tokens, could not be asked about one (HTTP 503: retry later). */
export class AuthUnavailableError extends Error {
  override readonly name = 'AuthUnavailableError';
}
