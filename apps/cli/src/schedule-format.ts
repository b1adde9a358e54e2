import type { Schedule } from '@slipway/contracts';
import { formatTable } from './run-format';

const UNITS: readonly [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** An interval in the largest unit that divides it ("15m", "36h", "1500ms"), in the form `--every` reads. */
export function formatInterval(ms: number): string {
  const unit = UNITS.find(([, size]) => ms > 0 && ms % size === 0);
  return unit ? `${ms / unit[1]}${unit[0]}` : `${ms}ms`;
}

/** When a schedule fires: `every 15m`, or the cron expression and its time zone. */
export function formatTiming(schedule: Schedule): string {
  if (schedule.every !== null) return `every ${formatInterval(schedule.every)}`;
  return `${schedule.cron ?? '?'} (${schedule.timezone ?? 'UTC'})`;
}

export function formatScheduleTable(schedules: Schedule[]): string {
  if (schedules.length === 0) return 'no schedules yet — create one with `slipway schedules create <pipeline-file> --name <name> --every 1h`';
  const rows = schedules.map((s) => [s.name, s.pipelineName, formatTiming(s), s.paused ? 'paused' : 'active', s.nextRunAt ?? '—', s.lastRunId ?? '—']);
  return formatTable(['SCHEDULE', 'PIPELINE', 'WHEN', 'STATE', 'NEXT RUN', 'LAST RUN'], rows);
}

export function formatScheduleLine(schedule: Schedule): string {
  const state = schedule.paused ? 'paused' : `active, next run ${schedule.nextRunAt ?? 'not scheduled'}`;
  return `schedule ${schedule.name} (${schedule.pipelineName}, experiment ${schedule.experiment}): ${formatTiming(schedule)}, ${state}`;
}
