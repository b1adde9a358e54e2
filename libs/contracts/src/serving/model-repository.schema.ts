import { z } from 'zod';

/**
 * `POST /v2/repository/models/{m}/unload` body (Triton's model repository extension). `unload_dependents` is Triton's
 * (Slipway serves no ensembles, so there is nothing more to unload); `keep_unloaded` is Slipway's: without it the model,
 * still wanted by the registry's aliases, is loaded again by the next reconcile (scheduled at once) and counts as
 * missing (not ready) until then; with it the model stays out, and out of readiness, until a load request.
 */
export const v2RepositoryUnloadRequestSchema = z.object({
  parameters: z
    .object({
      unload_dependents: z.boolean().optional(),
      keep_unloaded: z.boolean().optional(),
    })
    .strict()
    .optional(),
});
export type V2RepositoryUnloadRequest = z.infer<typeof v2RepositoryUnloadRequestSchema>;

/** `POST /v2/repository/models/{m}/load` body: Triton's `config` and `file:` overrides are not offered (a version's files are the registry's). */
export const v2RepositoryLoadRequestSchema = z.object({ parameters: z.object({}).strict().optional() });
export type V2RepositoryLoadRequest = z.infer<typeof v2RepositoryLoadRequestSchema>;
