import { z } from 'zod';

/** A team's limits; an absent limit is no limit. */
export const teamQuotaSchema = z.object({
  /** Trainings of the team queued or running at once. */
  maxConcurrentTrainings: z.number().int().min(1).optional(),
  /** GPUs requested by the team's queued and running trainings together. */
  maxGpus: z.number().int().min(0).optional(),
});
export type TeamQuota = z.infer<typeof teamQuotaSchema>;

/** The key whose quota every team not listed gets (each team its own). */
export const ANY_OTHER_TEAM = '*';

/**
 * Team name → its quota. Once any team is listed, a run naming a team that is not is refused — unless `"*"` gives
 * every other team a quota — so a made-up team name dodges nothing.
 */
export const teamQuotasSchema = z.record(z.string().min(1), teamQuotaSchema);
export type TeamQuotas = z.infer<typeof teamQuotasSchema>;

/** The quota of the team (undefined: no limits), or `unlisted` when quotas are set and neither the team nor `"*"` is. */
export function quotaOfTeam(quotas: TeamQuotas, team: string): TeamQuota | undefined | 'unlisted' {
  // Own keys only: a team named "constructor" must not find Object.prototype's (and so no limits).
  const quota = Object.hasOwn(quotas, team) ? quotas[team] : quotas[ANY_OTHER_TEAM];
  if (quota !== undefined) return quota;
  return Object.keys(quotas).length === 0 ? undefined : 'unlisted';
}
