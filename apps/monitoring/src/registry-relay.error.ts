import { RegistryApiError } from '@slipway/registry-client';

/** A registry error relayed by monitoring's JSON API, with the registry's status (undefined when it did not answer). */
export class RegistryRelayError extends Error {
  override readonly name = 'RegistryRelayError';
  constructor(
    message: string,
    readonly upstreamStatus: number | undefined,
  ) {
    super(message);
  }
}

/** Marks the registry errors of a call whose answer monitoring relays to its own client (see http-errors.ts). */
export async function relayRegistry<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (!(error instanceof RegistryApiError)) throw error;
    throw new RegistryRelayError(error.message, error.status);
  }
}
