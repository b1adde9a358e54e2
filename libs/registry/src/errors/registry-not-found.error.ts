/** Base of every "no such thing" error of the registry, so the HTTP layer maps them all to 404 with one `instanceof`. */
export class RegistryNotFoundError extends Error {
  override readonly name: string = 'RegistryNotFoundError';
}
