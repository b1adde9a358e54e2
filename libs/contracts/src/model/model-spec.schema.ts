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

/** A neural network: hidden layers plus training hyperparameters; the output layer follows the data set's task. */
export const networkSpecSchema = z.object({
  /** Optional: a spec with `layers` and no `kind` is a network. */
  kind: z.literal('network').optional(),
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
export type NetworkSpec = z.infer<typeof networkSpecSchema>;
export type NetworkSpecInput = z.input<typeof networkSpecSchema>;

/**
 * A random forest (Breiman's, as scikit-learn's RandomForestClassifier / Regressor): bagged CART trees grown to pure
 * leaves on bootstrap samples, each split choosing among `maxFeatures` features drawn anew; probabilities (or values)
 * averaged over the trees. Served as an ONNX tree ensemble.
 */
export const forestSpecSchema = z.strictObject({
  kind: z.literal('randomForest'),
  trees: z.number().int().min(1).max(5_000).default(300),
  /** Features tried per split: `sqrt` of the encoded width, `all`, or a fraction of them. Absent: `sqrt` for a classifier, `all` for a regressor (scikit-learn's defaults). */
  maxFeatures: z.union([z.enum(['sqrt', 'all']), z.number().gt(0).max(1)]).optional(),
  /** Fewest training rows a leaf may hold; 1 grows every tree until its leaves are pure. */
  minSamplesLeaf: z.number().int().min(1).max(100_000).default(1),
  /** Absent: no limit. */
  maxDepth: z.number().int().min(1).max(256).optional(),
  /** Each tree learns from n rows drawn with replacement (true) or from every row (false). */
  bootstrap: z.boolean().default(true),
  /** Seed for the bootstrap draws and the features tried per split. */
  seed: z.number().int().nonnegative().default(42),
  classWeight: classWeightSchema.optional(),
});
export type ForestSpec = z.infer<typeof forestSpecSchema>;

/** Declarative model: a network (`layers`) or a random forest (`kind: randomForest`). */
export const modelSpecSchema = z.discriminatedUnion('kind', [networkSpecSchema, forestSpecSchema]);
export type ModelSpec = z.infer<typeof modelSpecSchema>;
export type ModelSpecInput = z.input<typeof modelSpecSchema>;

export function isForestSpec(spec: ModelSpec): spec is ForestSpec {
  return spec.kind === 'randomForest';
}

/** @throws Error for a forest: for code written for networks only. */
export function asNetworkSpec(spec: ModelSpec): NetworkSpec {
  if (isForestSpec(spec)) throw new Error(`expected a network spec, got a ${spec.kind} of ${spec.trees} trees`);
  return spec;
}

/** A forest reports its progress after every tenth of its trees (after each tree of a smaller one). */
const FOREST_PROGRESS_STEPS = 10;

/** How many progress reports ("epochs") a training of this spec makes: one per epoch of a network, ten for a forest. */
export function progressStepsOf(spec: ModelSpec): number {
  return isForestSpec(spec) ? Math.min(FOREST_PROGRESS_STEPS, spec.trees) : spec.epochs;
}
