/** A request that needs a bearer token came without a usable one (HTTP 401). */
export class AuthenticationRequiredError extends Error {
  override readonly name = 'AuthenticationRequiredError';
}
