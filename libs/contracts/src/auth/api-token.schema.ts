import { z } from 'zod';
import { apiScopeSchema } from './api-scope';

/** Recorded as the actor of what a token does (audit log, runs, schedules). */
export const TOKEN_NAME = /^[A-Za-z0-9_.@-]{1,64}$/;
export const tokenNameSchema = z.string().regex(TOKEN_NAME, 'letters, digits, "_", ".", "@" and "-" only, at most 64');

/** A token declared in SLIPWAY_API_TOKENS (the registry's configuration), e.g. the first admin token of a cluster. */
export const declaredApiTokenSchema = z.strictObject({
  name: tokenNameSchema,
  /** Long enough that guessing is not an attack. */
  token: z.string().min(16, 'tokens are at least 16 characters'),
  scopes: z.array(apiScopeSchema).min(1, 'a token needs at least one scope'),
});
export type DeclaredApiToken = z.infer<typeof declaredApiTokenSchema>;

export const declaredApiTokensSchema = z
  .array(declaredApiTokenSchema)
  .refine((tokens) => new Set(tokens.map((t) => t.name)).size === tokens.length, 'token names must be unique')
  .refine((tokens) => new Set(tokens.map((t) => t.token)).size === tokens.length, 'tokens must be unique');

/** POST /api/tokens */
export const issueTokenRequestSchema = z.strictObject({
  name: tokenNameSchema,
  scopes: z.array(apiScopeSchema).min(1, 'a token needs at least one scope'),
  /** Days until the token stops working; absent: it works until revoked. */
  expiresInDays: z.number().int().min(1).max(3_650).optional(),
});
export type IssueTokenRequest = z.infer<typeof issueTokenRequestSchema>;

/** A token as the registry lists it: never its secret, which only the issuing answer carries. */
export const apiTokenSchema = z.object({
  name: z.string(),
  scopes: z.array(z.string()),
  /** `declared` tokens come from SLIPWAY_API_TOKENS and cannot be revoked over REST. */
  source: z.enum(['issued', 'declared']),
  createdAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type ApiTokenRecord = z.infer<typeof apiTokenSchema>;

export const issuedTokenResponseSchema = z.object({
  /** Shown once; the registry keeps only its SHA-256 digest. */
  token: z.string(),
  record: apiTokenSchema,
});
export type IssuedTokenResponse = z.infer<typeof issuedTokenResponseSchema>;

export const apiTokenListResponseSchema = z.object({ tokens: z.array(apiTokenSchema) });
