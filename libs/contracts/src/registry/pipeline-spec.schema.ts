import { z } from 'zod';
import { DEFAULT_EXPERIMENT, experimentNameSchema } from './experiment.schema';
import { datasetSourceSchema } from '../dataset/dataset.schema';
import { modelSpecSchema } from '../model/model-spec.schema';
import { promotionPolicySchema } from '../queues/registration.queue';

export const MODEL_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** A training pipeline: prepare → train → evaluate and register (→ promote). Meant to live in Git. */
export const pipelineSpecSchema = z.object({
  name: z.string().min(1).max(128),
  model: z.object({
    name: z.string().regex(MODEL_NAME, 'lowercase letters, digits and dashes, starting with a letter'),
    spec: modelSpecSchema,
  }),
  dataset: datasetSourceSchema,
  promotion: promotionPolicySchema.default({ alias: 'production', minTestAccuracy: 0.9 }),
});
export type PipelineSpec = z.infer<typeof pipelineSpecSchema>;
export type PipelineSpecInput = z.input<typeof pipelineSpecSchema>;

export const submitRunRequestSchema = z.object({
  pipeline: pipelineSpecSchema,
  experiment: experimentNameSchema.default(DEFAULT_EXPERIMENT),
});
export type SubmitRunRequest = z.input<typeof submitRunRequestSchema>;
