import { z } from 'zod';
import { epochMetricsSchema, evaluationMetricsSchema, tfBackendSchema } from '../queues/training.queue';
import { pipelineSpecSchema } from './pipeline-spec.schema';

export const runStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed']);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const STEP_NAMES = ['prepare', 'train', 'register'] as const;
export const stepNameSchema = z.enum(STEP_NAMES);
export type StepName = z.infer<typeof stepNameSchema>;

export const stepStatusSchema = z.enum(['pending', 'running', 'succeeded', 'failed']);
export type StepStatus = z.infer<typeof stepStatusSchema>;

export const runStepSchema = z.object({
  name: stepNameSchema,
  status: stepStatusSchema,
  attempts: z.number().int().nonnegative(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
});
export type RunStep = z.infer<typeof runStepSchema>;

export const runSchema = z.object({
  id: z.string(),
  pipelineName: z.string(),
  status: runStatusSchema,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  pipeline: pipelineSpecSchema,
  steps: z.array(runStepSchema),
  epochs: z.array(epochMetricsSchema),
  datasetDigest: z.string().nullable(),
  backend: tfBackendSchema.nullable(),
  metrics: evaluationMetricsSchema.nullable(),
  modelVersion: z.object({ model: z.string(), version: z.number().int() }).nullable(),
  promotedTo: z.string().nullable(),
});
export type Run = z.infer<typeof runSchema>;

export const runSummarySchema = runSchema.pick({
  id: true,
  pipelineName: true,
  status: true,
  createdAt: true,
  finishedAt: true,
  error: true,
  metrics: true,
  modelVersion: true,
});
export type RunSummary = z.infer<typeof runSummarySchema>;
