import { RegistryApiError } from '@slipway/registry-client';

/** A registry answer relayed by monitoring's JSON API: the registry's 4xx as is, anything else as 502 naming the registry URL. */
export class RegistryRelayError extends Error {
  override readonly name = 'RegistryRelayError';
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

export async function relayRegistry<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (!(error instanceof RegistryApiError)) throw error;
    const status = error.status !== undefined && error.status >= 400 && error.status < 500 ? error.status : 502;
    throw new RegistryRelayError(error.message, status);
  }
}
