import { z } from 'zod';
import { artifactRefSchema } from '../artifacts/artifact-ref.schema';
import { epochMetricsSchema } from './training-result.schema';

/** Name, shape and dtype of one tensor in a weights blob, in blob order (tfjs's WeightsManifestEntry). */
export const weightSpecSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32', 'bool', 'string', 'complex64']),
});
export type WeightSpec = z.infer<typeof weightSpecSchema>;

/** A list of named tensors stored as one raw blob (MEDIA_TYPES.modelWeights) plus its layout. */
export const storedWeightsSchema = z.object({
  weightSpecs: z.array(weightSpecSchema),
  weights: artifactRefSchema,
});
export type StoredWeights = z.infer<typeof storedWeightsSchema>;

/**
 * Everything a training needs to continue after epoch `epoch` as if it had never stopped
 * (MEDIA_TYPES.trainingCheckpoint): model weights, optimizer state (Adam's moments and iteration count, ...),
 * the history so far and the training time spent.
 */
export const trainingCheckpointSchema = z.object({
  version: z.literal(1),
  /** The last completed epoch (1-based); training resumes with epoch + 1. */
  epoch: z.number().int().min(1),
  /** The configured epoch count of the training this checkpoint belongs to. */
  epochs: z.number().int().min(1),
  /** Digest of the prepared dataset trained on, so a checkpoint is never applied to another dataset. */
  datasetDigest: z.string(),
  model: storedWeightsSchema,
  optimizer: storedWeightsSchema,
  history: z.array(epochMetricsSchema),
  /** Time spent in epochs 1..epoch, so the resumed run reports its whole training time. */
  trainingDurationMs: z.number().nonnegative(),
  /** Early stopping's state, so a resumed training stops where the uninterrupted one would. */
  earlyStopping: z
    .object({
      bestEpoch: z.number().int().min(1),
      bestValue: z.number(),
      /** Epochs since the best one. */
      wait: z.number().int().nonnegative(),
      /** The best epoch's weights, restored into the model that is saved. */
      bestWeights: storedWeightsSchema,
    })
    .optional(),
});
export type TrainingCheckpoint = z.infer<typeof trainingCheckpointSchema>;
