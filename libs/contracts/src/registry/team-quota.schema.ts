import { z } from 'zod';

/** A team's limits; an absent limit is no limit. */
export const teamQuotaSchema = z.object({
  /** Trainings of the team queued or running at once. */
  maxConcurrentTrainings: z.number().int().min(1).optional(),
  /** GPUs requested by the team's queued and running trainings together. */
  maxGpus: z.number().int().min(0).optional(),
});
export type TeamQuota = z.infer<typeof teamQuotaSchema>;

/** Team name → its quota; teams not listed have no limits. */
export const teamQuotasSchema = z.record(z.string().min(1), teamQuotaSchema);
export type TeamQuotas = z.infer<typeof teamQuotasSchema>;
