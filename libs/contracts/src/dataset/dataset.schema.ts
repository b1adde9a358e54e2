import { z } from 'zod';
import { artifactRefSchema } from '../artifacts/artifact-ref.schema';

export const splitFractionsSchema = z
  .object({
    train: z.number().gt(0).lt(1),
    validation: z.number().min(0).lt(1),
    test: z.number().gt(0).lt(1),
  })
  .refine((s) => Math.abs(s.train + s.validation + s.test - 1) < 1e-9, {
    message: 'train + validation + test must add up to 1',
  });
export type SplitFractions = z.infer<typeof splitFractionsSchema>;

/** Where the raw data is and how to turn it into a supervised data set. */
export const datasetSourceSchema = z.object({
  /** A path (relative to the service's working directory) or a file:// URL of a CSV file with a header row. */
  uri: z.string().min(1),
  labelColumn: z.string().min(1),
  split: splitFractionsSchema.default({ train: 0.7, validation: 0.15, test: 0.15 }),
  seed: z.number().int().nonnegative().default(7),
  /** Columns to treat as categorical even if their values look numeric. */
  categoricalColumns: z.array(z.string().min(1)).default([]),
});
export type DatasetSource = z.infer<typeof datasetSourceSchema>;
export type DatasetSourceInput = z.input<typeof datasetSourceSchema>;

export const numericStatisticsSchema = z.object({
  count: z.number().int(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  std: z.number(),
  /** Deciles 0.1 … 0.9 of the training split: the bin edges drift detection uses. */
  quantiles: z.array(z.number()),
});

const numericFeatureSchema = z.object({
  name: z.string(),
  kind: z.literal('numeric'),
  /** Standardisation: (x - mean) / scale, scale = std or 1 when std is 0. */
  mean: z.number(),
  scale: z.number().positive(),
  statistics: numericStatisticsSchema,
});

const categoricalFeatureSchema = z.object({
  name: z.string(),
  kind: z.literal('categorical'),
  /** One-hot vocabulary in column order; unseen values encode as all zeros. */
  vocabulary: z.array(z.string()),
  statistics: z.object({ count: z.number().int(), frequencies: z.record(z.string(), z.number().int()) }),
});

export const featureTransformSchema = z.discriminatedUnion('kind', [numericFeatureSchema, categoricalFeatureSchema]);
export type FeatureTransform = z.infer<typeof featureTransformSchema>;

/** The fitted transform: bundled with every model so serving applies exactly what training saw. */
export const transformSchema = z.object({
  version: z.literal(1),
  features: z.array(featureTransformSchema).min(1),
  label: z.object({ name: z.string(), classes: z.array(z.string()).min(2) }),
});
export type Transform = z.infer<typeof transformSchema>;

const splitMatrixSchema = z.object({
  /** Row-major encoded features, rows × transform width. */
  features: z.array(z.array(z.number())),
  /** Class index per row into transform.label.classes. */
  labels: z.array(z.number().int().nonnegative()),
});
export type SplitMatrix = z.infer<typeof splitMatrixSchema>;

/** The prepared-dataset artifact: encoded splits, ready for training. */
export const preparedDatasetSchema = z.object({
  version: z.literal(1),
  sourceDigest: z.string(),
  train: splitMatrixSchema,
  validation: splitMatrixSchema,
  test: splitMatrixSchema,
});
export type PreparedDataset = z.infer<typeof preparedDatasetSchema>;

export const columnKindSchema = z.enum(['numeric', 'categorical', 'label']);
export const inferredSchemaSchema = z.object({
  columns: z.array(z.object({ name: z.string(), kind: columnKindSchema })),
});
export type InferredSchema = z.infer<typeof inferredSchemaSchema>;

export const preparedDatasetRefSchema = z.object({
  sourceDigest: z.string(),
  dataset: artifactRefSchema,
  transform: artifactRefSchema,
  schema: inferredSchemaSchema,
  rowCounts: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
});
export type PreparedDatasetRef = z.infer<typeof preparedDatasetRefSchema>;
