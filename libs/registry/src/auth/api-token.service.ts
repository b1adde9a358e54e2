import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { apiScopeSchema, type ApiTokenRecord, type DeclaredApiToken, type IssuedTokenResponse, type IssueTokenRequest, type Principal } from '@slipway/contracts';
import { AuthenticationRequiredError, bearerTokenOf, type PrincipalResolver } from '@slipway/service-kit';
import { z } from 'zod';
import { readJsonColumn, toJsonColumn } from '../database/json-column';
import type { ApiTokenRow, RegistryDb } from '../database/registry-database.types';
import { OidcVerifier } from './oidc-verifier';
import { DeclaredTokenError, TokenNameTakenError, TokenNotFoundError } from './token-errors';

export interface ApiTokenServiceOptions {
  /** SLIPWAY_API_TOKENS */
  declared: readonly DeclaredApiToken[];
  /** Accepts the identity provider's JWTs too. @defaultValue registry tokens only */
  oidc?: OidcVerifier;
  /** @defaultValue `() => new Date()` */
  clock?: () => Date;
}

const TOKEN_PREFIX = 'slw_';
const scopesSchema = z.array(apiScopeSchema);
// last_used_at is a hint for who may revoke what, not an audit trail: one write a minute per token is plenty.
const LAST_USED_GRAIN_MS = 60_000;

/**
 * The registry's tokens: those declared in configuration and those issued over REST. Issued ones are stored as the
 * SHA-256 digest of a 256-bit random secret (a slow hash adds nothing to a secret nobody can guess), shown once.
 */
export class ApiTokenService implements PrincipalResolver {
  private readonly declared: readonly { token: DeclaredApiToken; digest: Buffer }[];
  private readonly clock: () => Date;
  private readonly oidc: OidcVerifier | undefined;

  constructor(
    private readonly db: RegistryDb,
    options: ApiTokenServiceOptions,
  ) {
    this.declared = options.declared.map((token) => ({ token, digest: sha256(token.token) }));
    this.clock = options.clock ?? (() => new Date());
    this.oidc = options.oidc;
  }

  /** @throws TokenNameTakenError when a declared or issued token has the name (revoked ones too: names stay unique in audit logs). */
  async issue(request: IssueTokenRequest, issuedBy: string): Promise<IssuedTokenResponse> {
    if (this.declared.some(({ token }) => token.name === request.name)) throw new TokenNameTakenError(request.name);
    const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const now = this.clock();
    const expiresAt = request.expiresInDays === undefined ? null : new Date(now.getTime() + request.expiresInDays * 86_400_000).toISOString();
    const inserted = await this.db
      .insertInto('api_tokens')
      .values({
        name: request.name,
        digest: sha256(secret).toString('base64url'),
        scopes_json: toJsonColumn([...new Set(request.scopes)]),
        created_at: now.toISOString(),
        created_by: issuedBy,
        expires_at: expiresAt,
        revoked_at: null,
        last_used_at: null,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows === 0n) throw new TokenNameTakenError(request.name);
    return { token: secret, record: await this.get(request.name) };
  }

  /** Revoking a revoked token changes nothing. @throws TokenNotFoundError, DeclaredTokenError */
  async revoke(name: string): Promise<ApiTokenRecord> {
    if (this.declared.some(({ token }) => token.name === name)) throw new DeclaredTokenError(name);
    await this.db.updateTable('api_tokens').set({ revoked_at: this.clock().toISOString() }).where('name', '=', name).where('revoked_at', 'is', null).execute();
    return this.get(name);
  }

  /** Declared tokens first, then issued ones by name. */
  async list(): Promise<ApiTokenRecord[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('name').execute();
    return [...this.declared.map(({ token }) => declaredRecord(token)), ...rows.map(issuedRecord)];
  }

  async get(name: string): Promise<ApiTokenRecord> {
    const declared = this.declared.find(({ token }) => token.name === name);
    if (declared) return declaredRecord(declared.token);
    const row = await this.db.selectFrom('api_tokens').selectAll().where('name', '=', name).executeTakeFirst();
    if (row === undefined) throw new TokenNotFoundError(name);
    return issuedRecord(row);
  }

  async identify(authorization: string | undefined): Promise<Principal | undefined> {
    const presented = bearerTokenOf(authorization);
    if (presented === undefined) return undefined;
    if (this.oidc !== undefined && OidcVerifier.looksLikeJwt(presented)) return this.oidc.verify(presented);
    const digest = sha256(presented);
    // Fixed-length digests compared in constant time: the timing tells nothing about the declared tokens.
    const declared = this.declared.find((candidate) => timingSafeEqual(candidate.digest, digest));
    if (declared) return { name: declared.token.name, scopes: declared.token.scopes, source: 'declared' };
    // Looked up by digest (an index), so the lookup's timing depends on the digest, never on the secret.
    const row = await this.db.selectFrom('api_tokens').selectAll().where('digest', '=', digest.toString('base64url')).executeTakeFirst();
    if (row === undefined) throw new AuthenticationRequiredError('the bearer token is not one the registry issued or declares (SLIPWAY_API_TOKENS)');
    const unusable = this.whyUnusable(row);
    if (unusable !== undefined) throw new AuthenticationRequiredError(`the bearer token "${row.name}" ${unusable}`);
    await this.touch(row);
    return principalOf(row);
  }

  /**
   * The principal a run or schedule recorded as its submitter, as it stands now: undefined when that token was revoked,
   * expired or is gone, so what it submitted can no longer act with its scopes.
   */
  async principalNamed(name: string): Promise<Principal | undefined> {
    const declared = this.declared.find(({ token }) => token.name === name);
    if (declared) return { name, scopes: declared.token.scopes, source: 'declared' };
    // An identity-provider token is not kept, so what it allowed cannot be asked again.
    if (name.startsWith('oidc:')) return undefined;
    const row = await this.db.selectFrom('api_tokens').selectAll().where('name', '=', name).executeTakeFirst();
    return row === undefined || this.whyUnusable(row) !== undefined ? undefined : principalOf(row);
  }

  /** Whether any token, declared or issued and usable, holds `admin`: without one, nobody could issue tokens. */
  async hasAdmin(): Promise<boolean> {
    if (this.declared.some(({ token }) => token.scopes.includes('admin'))) return true;
    const rows = await this.db.selectFrom('api_tokens').selectAll().where('revoked_at', 'is', null).execute();
    return rows.some((row) => this.whyUnusable(row) === undefined && principalOf(row).scopes.includes('admin'));
  }

  private whyUnusable(row: ApiTokenRow): string | undefined {
    if (row.revoked_at !== null) return `was revoked at ${row.revoked_at}`;
    if (row.expires_at !== null && row.expires_at <= this.clock().toISOString()) return `expired at ${row.expires_at}`;
    return undefined;
  }

  private async touch(row: ApiTokenRow): Promise<void> {
    const now = this.clock();
    if (row.last_used_at !== null && now.getTime() - Date.parse(row.last_used_at) < LAST_USED_GRAIN_MS) return;
    await this.db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('name', '=', row.name).execute();
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function principalOf(row: ApiTokenRow): Principal {
  return { name: row.name, scopes: readJsonColumn(scopesSchema, row.scopes_json, `api_tokens "${row.name}".scopes_json`), source: 'issued' };
}

function issuedRecord(row: ApiTokenRow): ApiTokenRecord {
  return {
    name: row.name,
    scopes: principalOf(row).scopes,
    source: 'issued',
    createdAt: row.created_at,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

function declaredRecord(token: DeclaredApiToken): ApiTokenRecord {
  return { name: token.name, scopes: token.scopes, source: 'declared', createdAt: null, createdBy: null, expiresAt: null, revokedAt: null, lastUsedAt: null };
}
