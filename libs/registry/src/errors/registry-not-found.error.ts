/** Base of every "no such thing" error of the registry, so the HTTP layer maps them all to 404. */
export abstract class RegistryNotFoundError extends Error {}
