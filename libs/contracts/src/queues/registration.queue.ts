import { z } from 'zod';
import { ALIAS_NAME } from '../registry/model.schema';
import { defineQueue, STANDARD_JOB_DEFAULTS } from './queue-contract';

export const promotionPolicySchema = z.object({
  alias: z.string().regex(ALIAS_NAME, 'lowercase letters, digits and dashes, starting with a letter').default('production'),
  minTestAccuracy: z.number().min(0).max(1).default(0.9),
});
export type PromotionPolicy = z.infer<typeof promotionPolicySchema>;

/** The trained model arrives as the result of the flow's child training job. */
export const registerModelJobSchema = z.object({
  runId: z.string().min(1),
  modelName: z.string().min(1),
  promotion: promotionPolicySchema,
});
export type RegisterModelJob = z.infer<typeof registerModelJobSchema>;

export const registrationResultSchema = z.object({
  modelName: z.string(),
  version: z.number().int().min(1),
  promotedTo: z.string().nullable(),
});
export type RegistrationResult = z.infer<typeof registrationResultSchema>;

export const registrationQueue = defineQueue({
  name: 'registration',
  jobs: {
    'register-model': { data: registerModelJobSchema, result: registrationResultSchema },
  },
  defaultJobOptions: STANDARD_JOB_DEFAULTS,
  lockDurationMs: 30_000,
});
