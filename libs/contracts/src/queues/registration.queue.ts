import { z } from 'zod';
import { metricRefSchema } from '../model/metric-ref';
import { ALIAS_NAME } from '../pipeline/pipeline-step.schema';
import { defineQueue, STANDARD_JOB_DEFAULTS } from './queue-contract';

// The registry runs these steps itself, so their jobs name the run's steps to read inputs from; they carry no data.
const stepJobFields = {
  runId: z.string().min(1),
  step: z.string().min(1),
};

export const evaluateModelsJobSchema = z.object({
  ...stepJobFields,
  /** The run's steps whose trained models compete. */
  candidates: z.array(z.string().min(1)).min(1),
  metric: metricRefSchema,
  goal: z.enum(['max', 'min']),
});
export type EvaluateModelsJob = z.infer<typeof evaluateModelsJobSchema>;

export const evaluationResultSchema = z.object({
  /** The winning candidate step. */
  best: z.string(),
  metric: metricRefSchema,
  value: z.number(),
  /** Every candidate's value, for the record. */
  scores: z.record(z.string(), z.number()),
});
export type EvaluationResult = z.infer<typeof evaluationResultSchema>;

export const registerModelJobSchema = z.object({
  ...stepJobFields,
  modelName: z.string().min(1),
  /** The step whose model to register (a training, or an evaluation's pick). */
  from: z.string().min(1),
});
export type RegisterModelJob = z.infer<typeof registerModelJobSchema>;

export const registrationResultSchema = z.object({
  modelName: z.string(),
  version: z.number().int().min(1),
});
export type RegistrationResult = z.infer<typeof registrationResultSchema>;

export const promoteVersionJobSchema = z.object({
  ...stepJobFields,
  alias: z.string().regex(ALIAS_NAME),
  /** The register step whose version to promote. */
  from: z.string().min(1),
});
export type PromoteVersionJob = z.infer<typeof promoteVersionJobSchema>;

export const promotionResultSchema = z.object({
  modelName: z.string(),
  version: z.number().int().min(1),
  alias: z.string(),
  previousVersion: z.number().int().nullable(),
});
export type PromotionResult = z.infer<typeof promotionResultSchema>;

export const registrationQueue = defineQueue({
  name: 'registration',
  jobs: {
    'evaluate-models': { data: evaluateModelsJobSchema, result: evaluationResultSchema },
    'register-model': { data: registerModelJobSchema, result: registrationResultSchema },
    'promote-version': { data: promoteVersionJobSchema, result: promotionResultSchema },
  },
  defaultJobOptions: STANDARD_JOB_DEFAULTS,
  lockDurationMs: 30_000,
});
