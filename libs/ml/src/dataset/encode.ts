import type { FeatureTransform, Transform } from '@slipway/contracts';
import { TransformInputError } from '../errors/transform-input.error';
import { parseDecimal } from './parse-decimal';

/** Encoded features, row-major: row r, column c is `features[r * width + c]`. */
export interface EncodedFeatures {
  features: Float32Array;
  rowCount: number;
  width: number;
}

type RawValue = number | string | undefined;

/** Number of encoded columns: one per numeric feature, one per vocabulary entry of a categorical one. */
export function transformWidth(transform: Transform): number {
  return transform.features.reduce((width, feature) => width + featureWidth(feature), 0);
}

/**
 * Applies the fitted transform to rows keyed by feature name (extra keys, such as the label, are ignored).
 * @throws TransformInputError naming the feature and row for a missing or non-numeric numeric value.
 */
export function encodeRows(transform: Transform, rows: readonly Record<string, RawValue>[]): EncodedFeatures {
  return encode(transform, rows.length, (feature, row) => rows[row][feature.name]);
}

/**
 * Applies the fitted transform to column-per-feature input (the serving request shape).
 * @throws TransformInputError naming a missing feature, a column whose length is not rowCount, or a bad value.
 */
export function encodeColumns(
  transform: Transform,
  columns: Readonly<Record<string, ArrayLike<number | string>>>,
  rowCount: number,
): EncodedFeatures {
  for (const feature of transform.features) {
    const column = Object.hasOwn(columns, feature.name) ? columns[feature.name] : undefined;
    if (column === undefined) {
      const given = Object.keys(columns).map((name) => `"${name}"`).join(', ') || 'none';
      throw new TransformInputError(`feature "${feature.name}" is missing from the input (given: ${given})`, feature.name);
    }
    if (column.length !== rowCount) {
      throw new TransformInputError(
        `feature "${feature.name}" has ${column.length} values, expected ${rowCount}`,
        feature.name,
      );
    }
  }
  return encode(transform, rowCount, (feature, row) => columns[feature.name][row]);
}

/** Maps each row's label to its index in transform.label.classes. */
export function encodeLabels(transform: Transform, rows: readonly Record<string, RawValue>[]): Int32Array {
  if (transform.label.task !== 'classification') throw new TransformInputError(`label "${transform.label.name}" is a regression label, not classes`, transform.label.name);
  const { name, classes } = transform.label;
  const indexOf = new Map(classes.map((label, index) => [label, index]));
  return Int32Array.from(rows, (row, index) => {
    const classIndex = indexOf.get(String(row[name]));
    if (classIndex === undefined) {
      throw new TransformInputError(
        `label "${name}" is "${row[name]}" at row ${index}, which is not one of the fitted classes (${classes.join(', ')})`,
        name,
        index,
      );
    }
    return classIndex;
  });
}

function encode(
  transform: Transform,
  rowCount: number,
  valueAt: (feature: FeatureTransform, row: number) => RawValue,
): EncodedFeatures {
  const width = transformWidth(transform);
  const features = new Float32Array(rowCount * width);
  let offset = 0;
  for (const feature of transform.features) {
    if (feature.kind === 'hashed' || feature.kind === 'date') throw new TransformInputError(`feature "${feature.name}" is ${feature.kind}, which this encoder does not read yet`, feature.name);
    if (feature.kind === 'numeric') {
      for (let row = 0; row < rowCount; row += 1) {
        const value = toNumber(valueAt(feature, row), feature.name, row);
        features[row * width + offset] = (value - feature.mean) / feature.scale;
      }
    } else {
      const slot = new Map(feature.vocabulary.map((value, index) => [value, index]));
      for (let row = 0; row < rowCount; row += 1) {
        const value = valueAt(feature, row);
        // Unseen (or missing) categories stay all zeros: the model saw no such column during training.
        const index = typeof value === 'string' || typeof value === 'number' ? slot.get(String(value)) : undefined;
        if (index !== undefined) features[row * width + offset + index] = 1;
      }
    }
    offset += featureWidth(feature);
  }
  return { features, rowCount, width };
}

function toNumber(value: RawValue, feature: string, row: number): number {
  // Serving input comes from JSON, so null or objects can arrive despite the type.
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? parseDecimal(value.trim()) : undefined;
  if (parsed === undefined || !Number.isFinite(parsed)) {
    const shown = value === undefined ? 'missing' : JSON.stringify(value);
    throw new TransformInputError(`numeric feature "${feature}" is ${shown} at row ${row}: expected a finite number`, feature, row);
  }
  return parsed;
}

function featureWidth(feature: FeatureTransform): number {
  switch (feature.kind) {
    case 'numeric':
      return feature.missingIndicator ? 2 : 1;
    case 'categorical':
      return feature.vocabulary.length + (feature.missingBucket ? 1 : 0);
    case 'hashed':
      return feature.buckets;
    case 'date':
      return feature.parts.length;
  }
}
