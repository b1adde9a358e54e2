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

/** A hidden layer; the output layer is added by the trainer from the label's classes. */
export const layerSpecSchema = z.discriminatedUnion('type', [
  denseLayerSchema,
  dropoutLayerSchema,
  batchNormalizationLayerSchema,
]);
export type LayerSpec = z.infer<typeof layerSpecSchema>;

/** Declarative classifier: hidden layers plus training hyperparameters. */
export const modelSpecSchema = z.object({
  layers: z.array(layerSpecSchema).min(1),
  optimizer: z.enum(OPTIMIZERS).default('adam'),
  learningRate: z.number().gt(0).max(10).default(0.01),
  epochs: z.number().int().min(1).max(10_000).default(50),
  batchSize: z.number().int().min(1).max(65_536).default(16),
  /** Seed for weight initialisation and shuffling, so a run can be repeated. */
  seed: z.number().int().nonnegative().default(42),
});
export type ModelSpec = z.infer<typeof modelSpecSchema>;
export type ModelSpecInput = z.input<typeof modelSpecSchema>;
