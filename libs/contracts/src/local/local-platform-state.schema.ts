import { z } from 'zod';

/** What the launcher knows of one process it supervises. */
export const supervisedProcessStateSchema = z.enum(['starting', 'ready', 'restarting', 'failed', 'stopping', 'stopped']);

export const supervisedProcessSchema = z.object({
  name: z.string(),
  /** The current process, or null between a crash and its restart. */
  pid: z.number().int().nullable(),
  state: supervisedProcessStateSchema,
  /** Times the launcher started it again after it died. */
  restarts: z.number().int().nonnegative(),
  port: z.number().int(),
  /** Where readiness is asked: `http://…` for a service (its /readyz), `redis://…` for Redis (PING). */
  url: z.string(),
  /** When the current process was started (ISO). */
  startedAt: z.string().nullable(),
  /** How the last process ended, as a sentence ("was killed by SIGKILL"), or null when none ended yet. */
  lastExit: z.string().nullable(),
  logFile: z.string(),
});

/**
 * The state file `slipway up` keeps at `<state dir>/up.json` while it runs, so `slipway status` (another process)
 * finds it and its children. Rewritten on every change of state; removed when the launcher stops.
 */
export const localPlatformStateSchema = z.object({
  launcherPid: z.number().int(),
  startedAt: z.string(),
  stateDir: z.string(),
  /** Redis the launcher did not start (REDIS_URL answered) is not supervised: it is listed in `externalRedisUrl`. */
  externalRedisUrl: z.string().nullable(),
  processes: z.array(supervisedProcessSchema),
});

export type SupervisedProcessState = z.infer<typeof supervisedProcessStateSchema>;
export type SupervisedProcessInfo = z.infer<typeof supervisedProcessSchema>;
export type LocalPlatformState = z.infer<typeof localPlatformStateSchema>;
