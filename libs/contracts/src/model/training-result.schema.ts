import { z } from 'zod';
import { artifactRefSchema } from '../artifacts/artifact-ref.schema';

export const TF_BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const tfBackendSchema = z.enum(TF_BACKENDS);
export type TfBackend = z.infer<typeof tfBackendSchema>;

export const epochMetricsSchema = z.object({
  epoch: z.number().int().min(1),
  loss: z.number(),
  accuracy: z.number(),
  valLoss: z.number().optional(),
  valAccuracy: z.number().optional(),
  durationMs: z.number().nonnegative(),
});
export type EpochMetrics = z.infer<typeof epochMetricsSchema>;

export const evaluationMetricsSchema = z.object({
  testAccuracy: z.number().min(0).max(1),
  testLoss: z.number(),
  testRows: z.number().int().nonnegative(),
});
export type EvaluationMetrics = z.infer<typeof evaluationMetricsSchema>;

/** What a training leaves behind: the model and its transform, where and how it trained, its test metrics and curve. */
export const trainedModelSchema = z.object({
  sourceDigest: z.string(),
  model: artifactRefSchema,
  transform: artifactRefSchema,
  backend: tfBackendSchema,
  metrics: evaluationMetricsSchema,
  history: z.array(epochMetricsSchema),
  trainingDurationMs: z.number().nonnegative(),
  samplesPerSecond: z.number().nonnegative(),
});
export type TrainedModel = z.infer<typeof trainedModelSchema>;
