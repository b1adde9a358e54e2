import type { Transform } from '@slipway/contracts';
import { TransformInputError } from '../errors/transform-input.error';
import { featureEncoder, MISSING, UNSEEN, type RawValue } from './features/feature-encoder';

export type { RawValue } from './features/feature-encoder';

/** Encoded features, row-major: row r, column c is `features[r * width + c]`. */
export interface EncodedFeatures {
  features: Float32Array;
  rowCount: number;
  width: number;
  /** Per feature, the missing values (null, undefined, NaN, an absent column) the transform stood in for; only features that had some. */
  imputed: Record<string, number>;
  /** Per categorical feature, the values never seen in training, encoded as none of the known categories; only features that had some. */
  unseen: Record<string, number>;
}

/** Number of encoded columns: per numeric feature 1 (2 with a missing indicator), per categorical one its vocabulary (+1 missing bucket), per hashed one its buckets, per date one its parts. */
export function transformWidth(transform: Transform): number {
  return transform.features.reduce((width, feature) => width + featureEncoder(feature, new Set()).width, 0);
}

/**
 * Applies the fitted transform to rows keyed by feature name (extra keys, such as the label, are ignored; an absent
 * key is a missing value).
 * @throws TransformInputError naming the feature and row of a value it cannot encode (text for a numeric feature, a date it cannot read).
 */
export function encodeRows(transform: Transform, rows: readonly Readonly<Record<string, RawValue>>[]): EncodedFeatures {
  return encodeWith(transform, rows.length, (name) => (row) => rows[row][name]);
}

/**
 * Applies the fitted transform to column-per-feature input (the serving request shape). A feature without a column
 * is missing in every row, and imputed like any missing value.
 * @throws TransformInputError naming a column whose length is not rowCount, or the feature and row of a bad value.
 */
export function encodeColumns(transform: Transform, columns: Readonly<Record<string, ArrayLike<RawValue>>>, rowCount: number): EncodedFeatures {
  for (const { name } of transform.features) {
    const column = Object.hasOwn(columns, name) ? columns[name] : undefined;
    if (column !== undefined && column.length !== rowCount) {
      throw new TransformInputError(`feature "${name}" has ${column.length} values, expected ${rowCount}`, name);
    }
  }
  return encodeWith(transform, rowCount, (name) => {
    const column = Object.hasOwn(columns, name) ? columns[name] : undefined;
    return column === undefined ? () => undefined : (row) => column[row];
  });
}

/** The encoder every input shape shares (and data preparation too, so training and serving cannot drift apart). */
export function encodeWith(transform: Transform, rowCount: number, readerOf: (feature: string, index: number) => (row: number) => RawValue): EncodedFeatures {
  const missingValues = new Set(transform.missingValues);
  const encoders = transform.features.map((feature) => featureEncoder(feature, missingValues));
  const width = encoders.reduce((sum, encoder) => sum + encoder.width, 0);
  const features = new Float32Array(rowCount * width);
  const imputed: Record<string, number> = {};
  const unseen: Record<string, number> = {};
  let offset = 0;
  transform.features.forEach(({ name }, index) => {
    const encoder = encoders[index];
    const valueAt = readerOf(name, index);
    let missing = 0;
    let novel = 0;
    for (let row = 0; row < rowCount; row += 1) {
      const outcome = encoder.write(valueAt(row), row, features, row * width + offset);
      if (outcome === MISSING) missing += 1;
      else if (outcome === UNSEEN) novel += 1;
    }
    if (missing > 0) imputed[name] = missing;
    if (novel > 0) unseen[name] = novel;
    offset += encoder.width;
  });
  return { features, rowCount, width, imputed, unseen };
}
