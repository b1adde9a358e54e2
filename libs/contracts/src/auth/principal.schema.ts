import { z } from 'zod';

/** Who a request acts for: the token's name (or the identity provider's subject) and its scopes. */
export const principalSchema = z.object({
  name: z.string(),
  scopes: z.array(z.string()),
  /** `issued` and `declared` tokens are the registry's own; `oidc` bearer tokens are verified JWTs. */
  source: z.enum(['issued', 'declared', 'oidc']),
});
export type Principal = z.infer<typeof principalSchema>;
