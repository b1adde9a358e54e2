import { z } from 'zod';

/** `promote:<alias>` lets a token move or delete that protected alias; `promote:*` any of them. */
export const API_RIGHT = /^promote:(\*|[a-z][a-z0-9-]{0,62})$/;

export const apiTokenSchema = z.object({
  /** Recorded as the actor of what the token does (audit log). */
  name: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'letters, digits, "_", ".", "@" and "-" only, at most 64'),
  /** Long enough that guessing is not an attack. */
  token: z.string().min(16, 'tokens are at least 16 characters'),
  rights: z.array(z.string().regex(API_RIGHT, 'rights look like promote:<alias> or promote:*')),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const apiTokensSchema = z
  .array(apiTokenSchema)
  .refine((tokens) => new Set(tokens.map((t) => t.name)).size === tokens.length, 'token names must be unique')
  .refine((tokens) => new Set(tokens.map((t) => t.token)).size === tokens.length, 'tokens must be unique');

/** The right a token needs to move or delete a protected alias. */
export function promoteRight(alias: string): string {
  return `promote:${alias}`;
}
