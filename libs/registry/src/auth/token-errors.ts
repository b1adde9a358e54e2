import { RegistryNotFoundError } from '../errors/registry-not-found.error';

export class TokenNotFoundError extends RegistryNotFoundError {
  override readonly name = 'TokenNotFoundError';
  constructor(readonly tokenName: string) {
    super(`no issued token is named "${tokenName}"`);
  }
}

/** A token of that name exists already, issued or declared (HTTP 409). */
export class TokenNameTakenError extends Error {
  override readonly name = 'TokenNameTakenError';
  constructor(readonly tokenName: string) {
    super(`a token named "${tokenName}" exists already; revoke it first or pick another name`);
  }
}

/** Declared tokens live in SLIPWAY_API_TOKENS, so only a configuration change removes them (HTTP 409). */
export class DeclaredTokenError extends Error {
  override readonly name = 'DeclaredTokenError';
  constructor(readonly tokenName: string) {
    super(`token "${tokenName}" is declared in SLIPWAY_API_TOKENS: remove it there and restart the registry to revoke it`);
  }
}
