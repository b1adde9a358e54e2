import { z } from 'zod';
import { artifactRefSchema } from '../artifacts/artifact-ref.schema';
import { taskSchema } from '../model/training-result.schema';

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

/** Cells that mean "no value" in real tables; matched after trimming, case-sensitively. */
export const DEFAULT_MISSING_VALUES = ['', 'NA', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', 'None', '?', '.', '-'] as const;

export const DATASET_FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export const datasetFormatSchema = z.enum(DATASET_FORMATS);
export type DatasetFormat = z.infer<typeof datasetFormatSchema>;

const columnNames = z.array(z.string().min(1)).default([]);

/** Column roles that override what inference would decide. */
export const columnRolesSchema = z.strictObject({
  /** Never features (identifiers, leaks, free text). */
  drop: columnNames,
  categorical: columnNames,
  numeric: columnNames,
  /** Dates (year-month-day such as 2007-11-11 or 2007/11/11, optionally with a time) become year, month, day of week and day of year. */
  date: columnNames,
});

/** Where the raw data is and how to turn it into a supervised data set. */
export const datasetSourceSchema = z.object({
  /**
   * A path inside the data root (SLIPWAY_DATA_ROOT) or a file:// URL there; an http(s):// URL on a host
   * SLIPWAY_DATA_HTTP_HOSTS allows; or an artifact of the store, `artifact:sha256:<hex>`.
   */
  uri: z.string().min(1),
  /** @defaultValue from the name's extension (`.csv`, `.jsonl`/`.ndjson`, `.parquet`), else csv */
  format: datasetFormatSchema.optional(),
  labelColumn: z.string().min(1),
  /** @defaultValue regression for a label with many distinct numbers, classification otherwise */
  task: taskSchema.optional(),
  split: splitFractionsSchema.default({ train: 0.7, validation: 0.15, test: 0.15 }),
  seed: z.number().int().nonnegative().default(7),
  /** Tokens read as missing values, never as categories. */
  missingValues: z.array(z.string()).default([...DEFAULT_MISSING_VALUES]),
  columns: columnRolesSchema.default({ drop: [], categorical: [], numeric: [], date: [] }),
  /** Columns to treat as categorical even if their values look numeric (the same as `columns.categorical`). */
  categoricalColumns: z.array(z.string().min(1)).default([]),
  imputation: z
    .strictObject({
      /** What a missing numeric value becomes, fitted on the train split. */
      numeric: z.enum(['median', 'mean']).default('median'),
      /** A numeric column missing in more than this share of train rows also gets a 0/1 missing-indicator feature. */
      indicatorAbove: z.number().min(0).max(1).default(0.05),
    })
    .default({ numeric: 'median', indicatorAbove: 0.05 }),
  /** A categorical column with more distinct values than this (or than `maxCategoryShare` of the rows) is high-cardinality. */
  maxCategories: z.number().int().min(2).default(50),
  maxCategoryShare: z.number().gt(0).max(1).default(0.2),
  /** What a high-cardinality categorical becomes: hashed into buckets, or dropped. */
  highCardinality: z.enum(['hash', 'drop']).default('hash'),
  hashBuckets: z.number().int().min(2).max(4_096).default(32),
});
export type DatasetSource = z.infer<typeof datasetSourceSchema>;
export type DatasetSourceInput = z.input<typeof datasetSourceSchema>;

export const numericStatisticsSchema = z.object({
  /** Rows with a value (missing ones not counted). */
  count: z.number().int(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  std: z.number(),
  /** Deciles 0.1 … 0.9 of the training split: the bin edges drift detection uses. */
  quantiles: z.array(z.number()),
  /** Train rows without a value. @defaultValue 0 (transforms written before missing values were read) */
  missing: z.number().int().nonnegative().default(0),
});
export type NumericStatistics = z.infer<typeof numericStatisticsSchema>;

export const categoricalStatisticsSchema = z.object({
  /** Rows with a value (missing ones not counted). */
  count: z.number().int(),
  /** Rows per value: the distribution drift detection compares against. */
  frequencies: z.record(z.string(), z.number().int()),
  missing: z.number().int().nonnegative().default(0),
});
export type CategoricalStatistics = z.infer<typeof categoricalStatisticsSchema>;

const numericFeatureSchema = z.object({
  name: z.string(),
  kind: z.literal('numeric'),
  /** Standardisation: (x - mean) / scale, scale = std or 1 when std is 0. */
  mean: z.number(),
  scale: z.number().positive(),
  /** The value a missing cell stands for (before standardisation). @defaultValue the mean */
  impute: z.number().optional(),
  /** A second column, 1 where the value was missing. @defaultValue false */
  missingIndicator: z.boolean().default(false),
  statistics: numericStatisticsSchema,
});

const categoricalFeatureSchema = z.object({
  name: z.string(),
  kind: z.literal('categorical'),
  /** One-hot vocabulary in column order; unseen values encode as all zeros (and are counted). */
  vocabulary: z.array(z.string()),
  /** One more column, 1 where the value was missing. @defaultValue false */
  missingBucket: z.boolean().default(false),
  statistics: categoricalStatisticsSchema,
});

/** A high-cardinality categorical: each value one-hot into one of `buckets` columns by a stable hash (FNV-1a 32). */
const hashedFeatureSchema = z.object({
  name: z.string(),
  kind: z.literal('hashed'),
  buckets: z.number().int().min(2),
  statistics: z.object({ count: z.number().int(), distinct: z.number().int(), missing: z.number().int().nonnegative() }),
});

export const DATE_PARTS = ['year', 'month', 'dayOfWeek', 'dayOfYear'] as const;
const datePartSchema = z.enum(DATE_PARTS);

/** A date as standardised numeric parts (UTC); a missing date takes each part's mean. */
const dateFeatureSchema = z.object({
  name: z.string(),
  kind: z.literal('date'),
  parts: z.array(z.object({ part: datePartSchema, mean: z.number(), scale: z.number().positive() })).min(1),
  statistics: z.object({ count: z.number().int(), min: z.string(), max: z.string(), missing: z.number().int().nonnegative() }),
});

export const featureTransformSchema = z.discriminatedUnion('kind', [numericFeatureSchema, categoricalFeatureSchema, hashedFeatureSchema, dateFeatureSchema]);
export type FeatureTransform = z.infer<typeof featureTransformSchema>;

const classificationLabelSchema = z.object({
  task: z.literal('classification'),
  name: z.string(),
  classes: z.array(z.string()).min(2),
});

/** A numeric label, standardised for training like a feature; predictions are turned back into its units. */
const regressionLabelSchema = z.object({
  task: z.literal('regression'),
  name: z.string(),
  mean: z.number(),
  scale: z.number().positive(),
  statistics: numericStatisticsSchema,
});

export const labelTransformSchema = z.discriminatedUnion('task', [classificationLabelSchema, regressionLabelSchema]);
export type LabelTransform = z.infer<typeof labelTransformSchema>;

const transformV2Schema = z.object({
  version: z.literal(2),
  features: z.array(featureTransformSchema).min(1),
  label: labelTransformSchema,
  /** The spellings data preparation read as missing values (the source's `missingValues`); serving reads them so too. */
  missingValues: z.array(z.string()).default([]),
});

/** Transforms written before v2 knew classification only, and no missing values. */
const transformV1Schema = z
  .object({
    version: z.literal(1),
    features: z.array(featureTransformSchema).min(1),
    label: z.object({ name: z.string(), classes: z.array(z.string()).min(2) }),
  })
  .transform((v1): z.output<typeof transformV2Schema> => ({ ...v1, version: 2, label: { task: 'classification', ...v1.label }, missingValues: [] }));

/** The fitted transform: bundled with every model so serving applies exactly what training saw. */
export const transformSchema = z.union([transformV2Schema, transformV1Schema]);
export type Transform = z.output<typeof transformSchema>;

/** One split of a prepared data set as blobs: features row-major float32, labels int32 class indices or float32 standardised values (little-endian). */
export const preparedSplitSchema = z.object({
  rows: z.number().int().nonnegative(),
  features: artifactRefSchema,
  labels: artifactRefSchema,
});
export type PreparedSplit = z.infer<typeof preparedSplitSchema>;

/** The prepared-dataset artifact: the encoded splits' blobs, ready for training. */
export const preparedDatasetSchema = z.object({
  version: z.literal(2),
  sourceDigest: z.string(),
  task: taskSchema,
  /** Encoded feature columns per row. */
  width: z.number().int().min(1),
  train: preparedSplitSchema,
  validation: preparedSplitSchema,
  test: preparedSplitSchema,
});

export const columnKindSchema = z.enum(['numeric', 'categorical', 'hashed', 'date', 'label', 'dropped']);
export type ColumnKind = z.infer<typeof columnKindSchema>;
export const inferredSchemaSchema = z.object({
  columns: z.array(z.object({ name: z.string(), kind: columnKindSchema })),
});
export type InferredSchema = z.infer<typeof inferredSchemaSchema>;

/** What the prepare step found in one column and did with it. */
export const columnReportSchema = z.object({
  name: z.string(),
  kind: columnKindSchema,
  /** Whether the kind was set by the pipeline (`columns`) or inferred. */
  source: z.enum(['pipeline', 'inferred']),
  missing: z.number().int().nonnegative(),
  missingShare: z.number().min(0).max(1),
  distinct: z.number().int().nonnegative(),
  /** What was done, as a sentence: "standardised; missing → median 3.2, with an indicator". */
  action: z.string(),
  warnings: z.array(z.string()).default([]),
});
export type ColumnReport = z.infer<typeof columnReportSchema>;

export const preparedDatasetRefSchema = z.object({
  sourceDigest: z.string(),
  dataset: artifactRefSchema,
  transform: artifactRefSchema,
  schema: inferredSchemaSchema,
  /** @defaultValue classification (data sets prepared before regression) */
  task: taskSchema.default('classification'),
  /** Per column: kind, missing values, distinct values, what was done. Empty for data sets prepared before reports. */
  report: z.array(columnReportSchema).default([]),
  rowCounts: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
});
export type PreparedDatasetRef = z.infer<typeof preparedDatasetRefSchema>;
