import { z } from 'zod';

/** One row of the alias audit log: who pointed which alias from where to where, and when. */
export const aliasAuditEntrySchema = z.object({
  model: z.string(),
  alias: z.string(),
  /** null when the alias was created */
  fromVersion: z.number().int().nullable(),
  /** null when the alias was deleted */
  toVersion: z.number().int().nullable(),
  /** `system`, `api` (no token), a token's name, or `run:<runId>` for a pipeline's promotion */
  actor: z.string(),
  at: z.string(),
});
export type AliasAuditEntry = z.infer<typeof aliasAuditEntrySchema>;

/** GET /api/models/:name/aliases/:alias/history, newest first. */
export const aliasHistoryResponseSchema = z.object({ entries: z.array(aliasAuditEntrySchema) });
export type AliasHistoryResponse = z.infer<typeof aliasHistoryResponseSchema>;
