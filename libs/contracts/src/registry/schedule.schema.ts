import { parseExpression } from 'cron-parser';
import { z } from 'zod';
import { DEFAULT_EXPERIMENT, experimentNameSchema } from './experiment.schema';
import { pipelineSpecSchema } from './pipeline-spec.schema';

/** Schedule names double as BullMQ job scheduler ids, so they stay short and free of ':'. */
export const SCHEDULE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
export const scheduleNameSchema = z.string().regex(SCHEDULE_NAME, 'lowercase letters, digits and dashes, starting with a letter, at most 63');

/** Shorter intervals would flood the queues with runs; cron's own grain is a second too. */
export const MIN_SCHEDULE_INTERVAL_MS = 1_000;

const INTERVAL_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const INTERVAL = /^(\d+)(ms|s|m|h|d)?$/;

/**
 * "30s", "15m", "1h", "2d", "500ms", or a whole number of milliseconds (as a number or digits), in
 * milliseconds; undefined when the text is none of these.
 */
export function parseInterval(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  const match = INTERVAL.exec(value.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * INTERVAL_UNITS_MS[(match[2] ?? 'ms') as keyof typeof INTERVAL_UNITS_MS];
  return Number.isSafeInteger(ms) ? ms : undefined;
}

// cron-parser (what BullMQ evaluates patterns with) fills in missing fields, so "" or "* * *" would pass it
// and fire every minute; only 5 fields, 6 with seconds, or a predefined @name are taken as meant.
const CRON_FIELD_COUNTS = [5, 6];
const CRON_NAMES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly'];

/** Why BullMQ could not schedule this cron expression (in this IANA time zone), or undefined when it can. */
export function cronExpressionProblem(expression: string, timezone?: string): string | undefined {
  const trimmed = expression.trim();
  const fields = trimmed.split(/\s+/).length;
  if (!CRON_NAMES.includes(trimmed) && !CRON_FIELD_COUNTS.includes(fields)) {
    return `expected 5 fields (minute hour day-of-month month day-of-week), 6 with seconds, or one of ${CRON_NAMES.join(', ')}; got ${trimmed === '' ? 'nothing' : `${fields}`}`;
  }
  try {
    parseExpression(trimmed, timezone === undefined ? {} : { tz: timezone }).next();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The canonical spelling of an IANA time zone ("europe/berlin" → "Europe/Berlin"), or undefined when unknown. */
export function canonicalTimeZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const cronInputSchema = z.string().trim().max(256);
const timezoneInputSchema = z
  .string()
  .min(1)
  .max(64)
  .transform((zone, ctx) => {
    const canonical = canonicalTimeZone(zone);
    if (canonical !== undefined) return canonical;
    ctx.addIssue({ code: 'custom', message: `unknown IANA time zone "${zone}"` });
    return z.NEVER;
  });
const everyInputSchema = z.union([z.number(), z.string().max(32)]).transform((value, ctx) => {
  const ms = parseInterval(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an interval: write e.g. "30s", "15m", "1h", "2d" or whole milliseconds` });
    return z.NEVER;
  }
  if (ms < MIN_SCHEDULE_INTERVAL_MS) {
    ctx.addIssue({ code: 'custom', message: `${ms} ms is below the minimum interval of ${MIN_SCHEDULE_INTERVAL_MS} ms (1s)` });
    return z.NEVER;
  }
  return ms;
});

/**
 * `POST /api/schedules`: run `pipeline` in `experiment` on a cron expression (in `timezone`, UTC when
 * omitted) or every `every` (a duration like "15m", or milliseconds). An interval schedule fires at once
 * when created or resumed, then every interval; a cron schedule at its next matching time.
 */
export const createScheduleRequestSchema = z
  .object({
    name: scheduleNameSchema,
    pipeline: pipelineSpecSchema,
    experiment: experimentNameSchema.default(DEFAULT_EXPERIMENT),
    cron: cronInputSchema.optional(),
    timezone: timezoneInputSchema.optional(),
    every: everyInputSchema.optional(),
  })
  .superRefine((request, ctx) => {
    if (request.cron !== undefined && request.every !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['every'], message: 'give either cron or every, not both' });
    } else if (request.cron === undefined && request.every === undefined) {
      ctx.addIssue({ code: 'custom', path: ['cron'], message: 'give either cron (with an optional timezone) or every' });
    }
    if (request.timezone !== undefined && request.cron === undefined) {
      ctx.addIssue({ code: 'custom', path: ['timezone'], message: 'a time zone applies to a cron schedule only' });
    }
    if (request.cron !== undefined) {
      const problem = cronExpressionProblem(request.cron, request.timezone);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['cron'], message: `not a valid cron expression: ${problem}` });
    }
  });
export type CreateScheduleRequest = z.input<typeof createScheduleRequestSchema>;
export type ParsedCreateScheduleRequest = z.output<typeof createScheduleRequestSchema>;

/** When a schedule fires: a cron expression in a time zone (null = UTC), or a fixed interval in ms. */
export type ScheduleTiming = { cron: string; timezone: string | null } | { every: number };

/** A schedule as the API returns it. `every` is in milliseconds, so a schedule can be posted back as it reads. */
export const scheduleSchema = z.object({
  name: scheduleNameSchema,
  pipelineName: z.string(),
  pipeline: pipelineSpecSchema,
  experiment: z.string(),
  cron: z.string().nullable(),
  timezone: z.string().nullable(),
  every: z.number().int().nullable(),
  /** A paused schedule keeps its definition but has no trigger, so it never fires. */
  paused: z.boolean(),
  /** When the trigger fires next; null while paused. */
  nextRunAt: z.iso.datetime().nullable(),
  /** The run the latest trigger submitted. */
  lastRunId: z.string().nullable(),
  lastRunAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** The token that created the schedule: its runs act with that token's scopes. */
  createdBy: z.string().nullable(),
});
export type Schedule = z.infer<typeof scheduleSchema>;

export const scheduleListResponseSchema = z.object({ schedules: z.array(scheduleSchema) });
export type ScheduleListResponse = z.infer<typeof scheduleListResponseSchema>;
