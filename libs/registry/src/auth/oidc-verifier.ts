import type { Principal } from '@slipway/contracts';
import { AuthenticationRequiredError } from '@slipway/service-kit';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';

export interface OidcOptions {
  /** SLIPWAY_OIDC_ISSUER */
  issuer: string;
  /** SLIPWAY_OIDC_AUDIENCE @defaultValue any audience */
  audience?: string;
  /** SLIPWAY_OIDC_JWKS_URL @defaultValue the jwks_uri of the issuer's discovery document */
  jwksUrl?: string;
  /** SLIPWAY_OIDC_SCOPES_CLAIM @defaultValue `scope` */
  scopesClaim?: string;
  /** SLIPWAY_OIDC_NAME_CLAIM @defaultValue `sub` */
  nameClaim?: string;
}

const discoverySchema = z.object({ jwks_uri: z.url() });
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Accepts JWTs signed by the cluster's identity provider (verified with jose against the issuer's published keys,
 * which it caches and refreshes on an unknown key id), so a team's existing identities act with Slipway scopes.
 */
export class OidcVerifier {
  private keys: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(private readonly options: OidcOptions) {}

  /** Whether the bearer token is a JWT (three dot-separated base64url parts) rather than a registry token. */
  static looksLikeJwt(token: string): boolean {
    return JWT_SHAPE.test(token);
  }

  /** @throws AuthenticationRequiredError naming why the JWT is not accepted (signature, issuer, audience, expiry) */
  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), { issuer: this.options.issuer, audience: this.options.audience }));
    } catch (error) {
      if (error instanceof errors.JOSEError) throw new AuthenticationRequiredError(`the bearer JWT is not accepted: ${error.message} (${error.code})`);
      throw error;
    }
    const nameClaim = this.options.nameClaim ?? 'sub';
    const name = payload[nameClaim];
    if (typeof name !== 'string' || name === '') throw new AuthenticationRequiredError(`the bearer JWT has no "${nameClaim}" claim to name who acts`);
    return { name: `oidc:${name}`, scopes: scopesOf(payload[this.options.scopesClaim ?? 'scope']), source: 'oidc' };
  }

  private async keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    this.keys ??= createRemoteJWKSet(new URL(this.options.jwksUrl ?? (await this.discoverJwksUrl())));
    return this.keys;
  }

  private async discoverJwksUrl(): Promise<string> {
    const url = new URL('.well-known/openid-configuration', this.options.issuer.endsWith('/') ? this.options.issuer : `${this.options.issuer}/`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`it answered ${response.status}`);
      return discoverySchema.parse(await response.json()).jwks_uri;
    } catch (error) {
      throw new AuthenticationRequiredError(`the issuer's discovery document ${url.href} could not be read (${(error as Error).message}); set SLIPWAY_OIDC_JWKS_URL`);
    }
  }
}

/** A space-separated string (OAuth's `scope`) or an array of strings; anything else holds no scope. */
function scopesOf(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(' ').filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((scope): scope is string => typeof scope === 'string');
  return [];
}
