import { z } from 'zod';

export const queueDepthSchema = z.object({
  waiting: z.number().int(),
  active: z.number().int(),
  delayed: z.number().int(),
  prioritized: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
});

export const latencySummarySchema = z.object({ p50Ms: z.number().nullable(), p99Ms: z.number().nullable() });

export const platformSummarySchema = z.object({
  generatedAt: z.string(),
  queues: z.record(z.string(), queueDepthSchema),
  jobs: z.record(z.string(), z.object({ completed: z.number().int(), failed: z.number().int() })),
  runs: z.object({ total: z.number().int(), byStatus: z.record(z.string(), z.number().int()) }),
  inference: z.object({
    requests: z.number().int(),
    errors: z.number().int(),
    rows: z.number().int(),
    latency: latencySummarySchema,
    byModel: z.record(
      z.string(),
      z.object({ requests: z.number().int(), errors: z.number().int(), rows: z.number().int(), latency: latencySummarySchema }),
    ),
  }),
});
export type PlatformSummary = z.infer<typeof platformSummarySchema>;
