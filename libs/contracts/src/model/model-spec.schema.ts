import { z } from 'zod';

export const ACTIVATIONS = ['linear', 'relu', 'elu', 'selu', 'tanh', 'sigmoid', 'softmax', 'softplus'] as const;
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop', 'adagrad'] as const;

const denseLayerSchema = z.object({
  type: z.literal('dense'),
  units: z.number().int().min(1).max(65_536),
  activation: z.enum(ACTIVATIONS).default('relu'),
});

const dropoutLayerSchema = z.object({
  type: z.literal('dropout'),
  rate: z.number().gt(0).lt(1),
});

const batchNormalizationLayerSchema = z.object({
  type: z.literal('batchNormalization'),
});

/** A hidden layer; the output layer is added by the trainer from the label: one unit per class, or one value. */
export const layerSpecSchema = z.discriminatedUnion('type', [
  denseLayerSchema,
  dropoutLayerSchema,
  batchNormalizationLayerSchema,
]);
export type LayerSpec = z.infer<typeof layerSpecSchema>;

/** Stop when the monitored validation figure has not improved by `minDelta` for `patience` epochs, keeping the best epoch's weights. */
export const earlyStoppingSchema = z.strictObject({
  monitor: z.enum(['valLoss', 'valAccuracy']).default('valLoss'),
  patience: z.number().int().min(1).max(1_000).default(5),
  minDelta: z.number().min(0).default(0),
});
export type EarlyStopping = z.infer<typeof earlyStoppingSchema>;

/**
 * Weights of each class in the loss (classifiers only): `balanced` weighs a class by n / (classes × its count) on the
 * train split, so rare classes count as much as common ones; or explicit weights by class name (1 for classes left out).
 */
export const classWeightSchema = z.union([z.literal('balanced'), z.record(z.string(), z.number().positive())]);
export type ClassWeight = z.infer<typeof classWeightSchema>;

/** Declarative model: hidden layers plus training hyperparameters; the output layer follows the data set's task. */
export const modelSpecSchema = z.object({
  layers: z.array(layerSpecSchema).min(1),
  optimizer: z.enum(OPTIMIZERS).default('adam'),
  learningRate: z.number().gt(0).max(10).default(0.01),
  epochs: z.number().int().min(1).max(10_000).default(50),
  batchSize: z.number().int().min(1).max(65_536).default(16),
  /** Seed for weight initialisation and shuffling, so a run can be repeated. */
  seed: z.number().int().nonnegative().default(42),
  /** Needs a validation split. */
  earlyStopping: earlyStoppingSchema.optional(),
  classWeight: classWeightSchema.optional(),
});
export type ModelSpec = z.infer<typeof modelSpecSchema>;
export type ModelSpecInput = z.input<typeof modelSpecSchema>;
