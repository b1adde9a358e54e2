import type { ScheduleTiming } from '@slipway/contracts';

/** A trigger in place: the timing it fires on and when it fires next (ISO-8601, null when it never will). */
export interface InstalledTrigger {
  /** null when the trigger fires on something a schedule cannot express (not installed by ScheduleService). */
  timing: ScheduleTiming | null;
  nextRunAt: string | null;
}

/**
 * Where the triggers of active schedules live (BullMQ job schedulers in model-registry). The registry
 * database is the source of truth; ScheduleService keeps these in line with it.
 */
export interface ScheduleTriggers {
  /** Creates the trigger of schedule `name`, or replaces its timing. */
  install(name: string, timing: ScheduleTiming): Promise<void>;
  /** Removes the trigger of `name`; does nothing when there is none. */
  uninstall(name: string): Promise<void>;
  find(name: string): Promise<InstalledTrigger | undefined>;
  /** Every trigger in place, by schedule name. */
  list(): Promise<ReadonlyMap<string, InstalledTrigger>>;
}

export function sameTiming(installed: ScheduleTiming | null, wanted: ScheduleTiming): boolean {
  if (installed === null) return false;
  if ('every' in installed) return 'every' in wanted && installed.every === wanted.every;
  return 'cron' in wanted && installed.cron === wanted.cron && installed.timezone === wanted.timezone;
}
