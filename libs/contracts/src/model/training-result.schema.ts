import { z } from 'zod';
import { artifactRefSchema } from '../artifacts/artifact-ref.schema';

export const TF_BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const tfBackendSchema = z.enum(TF_BACKENDS);
export type TfBackend = z.infer<typeof tfBackendSchema>;

/** Where a training computed: a TensorFlow.js backend, or `javascript` for a random forest, which needs no tensor library. */
export const TRAINING_BACKENDS = [...TF_BACKENDS, 'javascript'] as const;
export const trainingBackendSchema = z.enum(TRAINING_BACKENDS);
export type TrainingBackend = z.infer<typeof trainingBackendSchema>;

/**
 * How a model trained here is stored and served: `slipway-tfjs`, a TensorFlow.js network (a tfjs model manifest);
 * `slipway-onnx`, an ONNX model (a random forest's tree ensemble). Both take the rows their transform encodes.
 */
export const TRAINED_MODEL_FORMATS = ['slipway-tfjs', 'slipway-onnx'] as const;
export const trainedModelFormatSchema = z.enum(TRAINED_MODEL_FORMATS);
export type TrainedModelFormat = z.infer<typeof trainedModelFormatSchema>;

/** What a model learns: a class of the label, or its value. */
export const TASKS = ['classification', 'regression'] as const;
export const taskSchema = z.enum(TASKS);
export type Task = z.infer<typeof taskSchema>;

export const epochMetricsSchema = z.object({
  epoch: z.number().int().min(1),
  loss: z.number(),
  /** Classifiers only. */
  accuracy: z.number().optional(),
  valLoss: z.number().optional(),
  valAccuracy: z.number().optional(),
  durationMs: z.number().nonnegative(),
});
export type EpochMetrics = z.infer<typeof epochMetricsSchema>;

export const classMetricsSchema = z.object({
  class: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  /** Rows of this class in the split. */
  support: z.number().int().nonnegative(),
});
export type ClassMetrics = z.infer<typeof classMetricsSchema>;

/**
 * A classifier on one split. Models trained before per-class figures were recorded carry only rows, loss and
 * accuracy.
 */
export const classificationMetricsSchema = z.object({
  task: z.literal('classification'),
  rows: z.number().int().nonnegative(),
  loss: z.number(),
  accuracy: z.number().min(0).max(1),
  /** Mean of the per-class F1 scores: every class counts the same, however rare. */
  macroF1: z.number().min(0).max(1).optional(),
  /** Mean of the per-class recalls. */
  balancedAccuracy: z.number().min(0).max(1).optional(),
  perClass: z.array(classMetricsSchema).optional(),
  /** `confusionMatrix[actual][predicted]`, classes in the transform's order. */
  confusionMatrix: z.array(z.array(z.number().int().nonnegative())).optional(),
});

/** A regressor on one split, in the label's own units. */
export const regressionMetricsSchema = z.object({
  task: z.literal('regression'),
  rows: z.number().int().nonnegative(),
  /** The training loss (MSE of the standardised label). */
  loss: z.number(),
  mse: z.number().nonnegative(),
  rmse: z.number().nonnegative(),
  mae: z.number().nonnegative(),
  /** Coefficient of determination: 1 is perfect, 0 is no better than predicting the mean. */
  r2: z.number(),
});

export const splitMetricsSchema = z.discriminatedUnion('task', [classificationMetricsSchema, regressionMetricsSchema]);
export type SplitMetrics = z.infer<typeof splitMetricsSchema>;

const evaluationMetricsShape = z.object({
  /** Model selection and conditions read these; null when the data set has no validation split. */
  validation: splitMetricsSchema.nullable(),
  /** Held out: reported, never used to choose. */
  test: splitMetricsSchema,
});

/** What models trained before validation metrics were recorded stored: test accuracy and loss. */
const legacyEvaluationMetricsSchema = z
  .object({ testAccuracy: z.number().min(0).max(1), testLoss: z.number(), testRows: z.number().int().nonnegative() })
  .transform(({ testAccuracy, testLoss, testRows }): z.output<typeof evaluationMetricsShape> => ({
    validation: null,
    test: { task: 'classification', rows: testRows, loss: testLoss, accuracy: testAccuracy },
  }));

/** A trained model's metrics on its validation and test splits; older records are read into the same shape. */
export const evaluationMetricsSchema = z.union([evaluationMetricsShape, legacyEvaluationMetricsSchema]);
export type EvaluationMetrics = z.output<typeof evaluationMetricsSchema>;

/** What a training leaves behind: the model and its transform, where and how it trained, its metrics and curve. */
export const trainedModelSchema = z.object({
  sourceDigest: z.string(),
  /** Absent in results from before forests: those are all networks. */
  format: trainedModelFormatSchema.default('slipway-tfjs'),
  model: artifactRefSchema,
  transform: artifactRefSchema,
  backend: trainingBackendSchema,
  metrics: evaluationMetricsSchema,
  history: z.array(epochMetricsSchema),
  /** Set when early stopping ended the training before its epoch limit: the epoch whose weights the model keeps. */
  earlyStopped: z.object({ atEpoch: z.number().int().min(1), bestEpoch: z.number().int().min(1) }).optional(),
  trainingDurationMs: z.number().nonnegative(),
  samplesPerSecond: z.number().nonnegative(),
});
export type TrainedModel = z.infer<typeof trainedModelSchema>;
