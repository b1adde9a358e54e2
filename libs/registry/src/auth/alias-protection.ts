import { createHash, timingSafeEqual } from 'node:crypto';
import { promoteRight, type ApiToken } from '@slipway/contracts';
import { AliasProtectedError } from './alias-protected.error';
import { AuthenticationRequiredError } from './authentication-required.error';

export interface AliasProtectionOptions {
  /** Aliases only a token with `promote:<alias>` or `promote:*` may move or delete (SLIPWAY_PROTECTED_ALIASES). */
  protectedAliases: readonly string[];
  /** SLIPWAY_API_TOKENS */
  tokens: readonly ApiToken[];
}

/** The actor recorded for REST alias changes made without a token. */
export const ANONYMOUS_API_ACTOR = 'api';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Decides who is changing an alias over REST, and whether they may. */
export class AliasProtection {
  private readonly protectedAliases: ReadonlySet<string>;
  private readonly tokens: readonly { token: ApiToken; digest: Buffer }[];

  constructor(options: AliasProtectionOptions) {
    this.protectedAliases = new Set(options.protectedAliases);
    this.tokens = options.tokens.map((token) => ({ token, digest: sha256(token.token) }));
  }

  isProtected(alias: string): boolean {
    return this.protectedAliases.has(alias);
  }

  /**
   * @param authorization the request's Authorization header, if any
   * @returns the actor for the audit log: the token's name, or `api` without a token
   * @throws AuthenticationRequiredError (401) for an unknown or malformed token, or none on a protected alias;
   *   AliasProtectedError (403) when the token lacks `promote:<alias>`
   */
  authorize(model: string, alias: string, authorization: string | undefined): string {
    const right = promoteRight(alias);
    const token = this.identify(authorization);
    if (!this.isProtected(alias)) return actorOf(token);
    if (token === undefined) {
      throw new AuthenticationRequiredError(`alias "${alias}" of model "${model}" is protected: send Authorization: Bearer <token> with the right ${right}`);
    }
    if (!token.rights.includes(right) && !token.rights.includes('promote:*')) throw new AliasProtectedError(model, alias, token.name, right);
    return token.name;
  }

  /**
   * Who is making a REST change that needs no right (an import without an alias, say).
   * @returns the token's name, or `api` without a token
   * @throws AuthenticationRequiredError for an unknown or malformed token
   */
  actor(authorization: string | undefined): string {
    return actorOf(this.identify(authorization));
  }

  private identify(authorization: string | undefined): ApiToken | undefined {
    if (authorization === undefined || authorization.trim() === '') return undefined;
    const presented = BEARER.exec(authorization)?.[1];
    if (presented === undefined) throw new AuthenticationRequiredError('the Authorization header must be "Bearer <token>"');
    const digest = sha256(presented);
    // Comparing fixed-length digests in constant time: the timing tells nothing about the tokens.
    const match = this.tokens.find((candidate) => timingSafeEqual(candidate.digest, digest));
    if (match === undefined) throw new AuthenticationRequiredError('the bearer token is not one of SLIPWAY_API_TOKENS');
    return match.token;
  }
}

const actorOf = (token: ApiToken | undefined) => token?.name ?? ANONYMOUS_API_ACTOR;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
