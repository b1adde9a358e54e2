import { z } from 'zod';
import { trainingBackendSchema } from '../model/training-result.schema';
import { experimentNameSchema } from './experiment.schema';
import { tagKeySchema, tagsSchema, tagValueSchema } from './model.schema';
import { runStatusSchema, runSummarySchema } from './run.schema';


/** Metric keys never contain the comparison characters of the run search syntax (`metric.<key><op><value>`). */
export const METRIC_KEY = /^[A-Za-z][A-Za-z0-9_./-]{0,127}$/;
export const metricKeySchema = z.string().regex(METRIC_KEY, 'metric keys start with a letter and hold letters, digits, "_", ".", "/" or "-"');

export const PARAM_KEY = /^[A-Za-z0-9_./-]{1,250}$/;
export const paramKeySchema = z.string().regex(PARAM_KEY, 'param keys are 1-250 letters, digits, "_", ".", "/" or "-"');

export const metricPointSchema = z.object({
  key: metricKeySchema,
  value: z.number().finite(),
  step: z.number().int().min(0),
  timestamp: z.iso.datetime(),
});
export type MetricPoint = z.infer<typeof metricPointSchema>;

/** POST /api/runs/:id/metrics: a batch of points; a point repeated at the same (key, step) replaces the earlier one. */
export const logMetricsRequestSchema = z.array(metricPointSchema).min(1).max(1_000);
export type LogMetricsRequest = z.infer<typeof logMetricsRequestSchema>;

export const metricHistoryResponseSchema = z.object({ metrics: z.array(metricPointSchema) });
export type MetricHistoryResponse = z.infer<typeof metricHistoryResponseSchema>;

/** POST /api/runs/:id/params: write-once; numbers and booleans are stored as their text. */
export const logParamsRequestSchema = z.object({
  params: z
    .record(paramKeySchema, z.union([z.string().max(6_000), z.number().finite(), z.boolean()]).transform(String))
    .refine((params) => Object.keys(params).length > 0, 'name at least one param'),
});
export type LogParamsRequest = z.input<typeof logParamsRequestSchema>;

/** PATCH /api/runs/:id/system: what the trainer measures beyond its result. */
export const updateRunSystemRequestSchema = z
  .object({
    host: z.string().min(1).max(255).optional(),
    peakMemoryBytes: z.number().int().min(0).optional(),
  })
  .strict();
export type UpdateRunSystemRequest = z.infer<typeof updateRunSystemRequestSchema>;

export const runSystemInfoSchema = z.object({
  backend: trainingBackendSchema.nullable(),
  host: z.string().nullable(),
  peakMemoryBytes: z.number().int().nullable(),
  trainingDurationMs: z.number().nullable(),
  samplesPerSecond: z.number().nullable(),
  /** Queued → finished (or now-less null while running). */
  totalDurationMs: z.number().nullable(),
  /** Per step of the run; null while unknown. */
  stepDurationsMs: z.record(z.string(), z.number().nullable()),
});
export type RunSystemInfo = z.infer<typeof runSystemInfoSchema>;

/** GET /api/runs/:id/tracking */
export const runTrackingSchema = z.object({
  runId: z.string(),
  experiment: z.string(),
  tags: tagsSchema,
  params: z.record(z.string(), z.string()),
  /** The latest value (highest step) of every metric. */
  latestMetrics: z.record(z.string(), z.number()),
  system: runSystemInfoSchema,
});
export type RunTracking = z.infer<typeof runTrackingSchema>;

export const trackedRunSummarySchema = runSummarySchema.extend({
  experiment: z.string(),
  tags: tagsSchema,
  latestMetrics: z.record(z.string(), z.number()),
});
export type TrackedRunSummary = z.infer<typeof trackedRunSummarySchema>;

export const runSearchResponseSchema = z.object({ runs: z.array(trackedRunSummarySchema) });

export const experimentSchema = z.object({
  name: z.string(),
  createdAt: z.string(),
  runCount: z.number().int(),
  lastRunAt: z.string().nullable(),
});
export type Experiment = z.infer<typeof experimentSchema>;

export const METRIC_OPERATORS = ['=', '!=', '>', '>=', '<', '<='] as const;
export type MetricOperator = (typeof METRIC_OPERATORS)[number];
export const RUN_ORDER_FIELDS = ['createdAt', 'finishedAt'] as const;

export interface RunSearch {
  experiment?: string;
  status?: z.infer<typeof runStatusSchema>;
  tags: { key: string; value: string }[];
  metrics: { key: string; operator: MetricOperator; value: number }[];
  orderBy: { kind: 'field'; field: (typeof RUN_ORDER_FIELDS)[number] } | { kind: 'metric'; key: string };
  order: 'asc' | 'desc';
  limit: number;
}

// `metric.test.accuracy>=0.9` reaches the server as key `metric.test.accuracy>` and value `0.9` (the query
// string splits at the first "="), so each pair is joined back into its raw text before it is read.
const METRIC_FILTER = new RegExp(`^metric\\.(${METRIC_KEY.source.slice(1, -1)})(>=|<=|!=|=|>|<)(.+)$`);
const TAG_PREFIX = 'tag.';
const KNOWN_KEYS = new Set(['experiment', 'status', 'orderBy', 'order', 'limit']);

const scalar = (value: string | string[]) => (Array.isArray(value) ? value.at(-1) ?? '' : value);

/**
 * GET /api/runs/search (and the run list): `experiment=`, `status=`, `tag.<key>=<value>`,
 * `metric.<key><op><number>` with op one of = != > >= < <=, `orderBy=createdAt|finishedAt|metric.<key>`,
 * `order=asc|desc`, `limit=`. Every value ends up a bound parameter, never SQL text.
 */
export const runSearchQuerySchema = z.record(z.string(), z.union([z.string(), z.array(z.string())])).transform((query, context): RunSearch => {
  const fail = (path: string, message: string) => {
    context.addIssue({ code: 'custom', path: [path], message });
    return z.NEVER;
  };
  const search: RunSearch = { tags: [], metrics: [], orderBy: { kind: 'field', field: 'createdAt' }, order: 'desc', limit: 50 };
  for (const [key, raw] of Object.entries(query)) {
    if (key.startsWith(TAG_PREFIX)) {
      const tagKey = key.slice(TAG_PREFIX.length);
      const parsed = z.object({ key: tagKeySchema, value: tagValueSchema }).safeParse({ key: tagKey, value: scalar(raw) });
      if (!parsed.success) return fail(key, parsed.error.issues[0]?.message ?? 'bad tag filter');
      search.tags.push(parsed.data);
      continue;
    }
    if (key.startsWith('metric.')) {
      for (const value of Array.isArray(raw) ? raw : [raw]) {
        const match = METRIC_FILTER.exec(value === '' ? key : `${key}=${value}`);
        const number = Number(match?.[3]);
        if (match === null || !Number.isFinite(number)) {
          return fail(key, 'metric filters look like metric.<key><op><number>, op one of = != > >= < <=');
        }
        search.metrics.push({ key: match[1] as string, operator: match[2] as MetricOperator, value: number });
      }
      continue;
    }
    if (!KNOWN_KEYS.has(key)) return fail(key, 'unknown filter; use experiment, status, tag.<key>, metric.<key><op><number>, orderBy, order or limit');
    const value = scalar(raw);
    if (key === 'experiment') {
      const parsed = experimentNameSchema.safeParse(value);
      if (!parsed.success) return fail(key, parsed.error.issues[0]?.message ?? 'bad experiment');
      search.experiment = parsed.data;
    } else if (key === 'status') {
      const parsed = runStatusSchema.safeParse(value);
      if (!parsed.success) return fail(key, `one of ${runStatusSchema.options.join(', ')}`);
      search.status = parsed.data;
    } else if (key === 'order') {
      if (value !== 'asc' && value !== 'desc') return fail(key, 'asc or desc');
      search.order = value;
    } else if (key === 'limit') {
      const parsed = z.coerce.number().int().min(1).max(1_000).safeParse(value);
      if (!parsed.success) return fail(key, 'an integer from 1 to 1000');
      search.limit = parsed.data;
    } else {
      const metricKey = value.startsWith('metric.') ? metricKeySchema.safeParse(value.slice('metric.'.length)) : undefined;
      const field = RUN_ORDER_FIELDS.find((f) => f === value);
      if (metricKey?.success) search.orderBy = { kind: 'metric', key: metricKey.data };
      else if (field !== undefined) search.orderBy = { kind: 'field', field };
      else return fail(key, `one of ${RUN_ORDER_FIELDS.join(', ')} or metric.<key>`);
    }
  }
  return search;
});

/** GET /api/runs/compare?ids=a,b,c */
export const compareRunsQuerySchema = z.object({
  ids: z
    .string()
    .transform((ids) => ids.split(',').map((id) => id.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string())
        .min(2, 'name at least two runs, comma-separated')
        .max(20, 'compare at most 20 runs')
        .refine((ids) => new Set(ids).size === ids.length, 'each run once'),
    ),
});

export const runComparisonSchema = z.object({
  runs: z.array(trackedRunSummarySchema),
  params: z.object({
    /** Params every run has with the same value. */
    same: z.record(z.string(), z.string()),
    /** Params that differ (or are missing somewhere): key → run id → value or null. */
    different: z.record(z.string(), z.record(z.string(), z.string().nullable())),
  }),
  /** Latest value of every metric any of the runs has: key → run id → value or null. */
  metrics: z.record(z.string(), z.record(z.string(), z.number().nullable())),
});
export type RunComparison = z.infer<typeof runComparisonSchema>;
