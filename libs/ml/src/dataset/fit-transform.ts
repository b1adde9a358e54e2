import type { FeatureTransform, InferredSchema, Transform } from '@slipway/contracts';
import { DatasetError } from '../errors/dataset.error';
import type { CsvRecord } from './csv-record';
import { parseDecimal } from './parse-decimal';

const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/**
 * Fits the transform on the rows given — pass the train split only, so validation and test stay unseen.
 * Numeric: standardisation plus statistics (deciles are the drift-detection bins); categorical: sorted
 * one-hot vocabulary plus frequencies; label classes sorted.
 */
export function fitTransform(schema: InferredSchema, trainRows: readonly CsvRecord[]): Transform {
  if (trainRows.length === 0) throw new DatasetError('cannot fit the transform: the train split has no rows');
  const label = schema.columns.find((column) => column.kind === 'label');
  if (!label) throw new DatasetError('the inferred schema has no label column');
  const features = schema.columns
    .filter((column) => column.kind !== 'label')
    .map((column): FeatureTransform =>
      column.kind === 'numeric'
        ? fitNumeric(column.name, trainRows)
        : fitCategorical(column.name, trainRows),
    );
  const classes = [...new Set(trainRows.map((row) => row[label.name]))].sort();
  return { version: 2, features, label: { task: 'classification', name: label.name, classes } };
}

function fitNumeric(name: string, rows: readonly CsvRecord[]): FeatureTransform {
  const values = rows.map((row, index) => {
    const value = parseDecimal(row[name]);
    if (value === undefined) {
      throw new DatasetError(`numeric column "${name}" holds "${row[name]}" in train row ${index + 1}`);
    }
    return value;
  });
  const sorted = Float64Array.from(values).sort();
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  const std = Math.sqrt(variance);
  return {
    name,
    kind: 'numeric',
    mean,
    scale: std > 0 ? std : 1,
    impute: mean,
    missingIndicator: false,
    statistics: {
      count: values.length,
      min: sorted[0],
      max: sorted[sorted.length - 1],
      mean,
      std,
      quantiles: DECILES.map((p) => quantile(sorted, p)),
      missing: 0,
    },
  };
}

function fitCategorical(name: string, rows: readonly CsvRecord[]): FeatureTransform {
  const frequencies = new Map<string, number>();
  for (const row of rows) frequencies.set(row[name], (frequencies.get(row[name]) ?? 0) + 1);
  const vocabulary = [...frequencies.keys()].sort();
  // Built in vocabulary order so the stored JSON does not depend on row order.
  const counts = Object.fromEntries(vocabulary.map((value) => [value, frequencies.get(value) ?? 0]));
  return {
    name,
    kind: 'categorical',
    vocabulary,
    missingBucket: false,
    statistics: { count: rows.length, frequencies: counts, missing: 0 },
  };
}

/** Linear interpolation between closest ranks (the default of R and NumPy). */
function quantile(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
}
