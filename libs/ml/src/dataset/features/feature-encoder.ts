import type { FeatureTransform } from '@slipway/contracts';
import { TransformInputError } from '../../errors/transform-input.error';
import { hashBucket } from '../values/hash-bucket';
import { dateParts, DATE_SPELLING, parseIsoLikeDate } from '../values/iso-like-date';
import { parseDecimal } from '../values/parse-decimal';

/** A raw feature value as it arrives: from a table, a CSV record or a JSON request (where null can arrive). */
export type RawValue = number | string | boolean | null | undefined;

/** What encoding one value came to: the value itself, a stand-in for a missing one, or a category never seen in training. */
export const VALUE = 0;
export const MISSING = 1;
export const UNSEEN = 2;
export type EncodeOutcome = typeof VALUE | typeof MISSING | typeof UNSEEN;

/** Writes one feature of one row into its columns of the (zeroed) feature matrix. */
export interface FeatureEncoder {
  readonly width: number;
  write(value: RawValue, row: number, features: Float32Array, at: number): EncodeOutcome;
}

/**
 * The encoder of a fitted feature. Undefined, null and NaN are missing values for every kind, and so is text that,
 * trimmed, is one of `missingValues` (the spellings data preparation read as missing).
 */
export function featureEncoder(feature: FeatureTransform, missingValues: ReadonlySet<string>): FeatureEncoder {
  /** The value, text trimmed, or undefined for a missing one. */
  const present = (value: RawValue): number | string | boolean | undefined => {
    if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return undefined;
    if (typeof value !== 'string') return value;
    const text = value.trim();
    return missingValues.has(text) ? undefined : text;
  };
  const toNumber = (value: RawValue, row: number) => {
    const given = present(value);
    return given === undefined ? undefined : numberOf(given, feature.name, row);
  };
  const toText = (value: RawValue, row: number) => {
    const given = present(value);
    return given === undefined ? undefined : textOf(given, feature.name, row);
  };
  switch (feature.kind) {
    case 'numeric': {
      const { mean, scale, missingIndicator } = feature;
      // Transforms read from v1 have no imputed value: they stand in the mean, which standardises to 0.
      const imputed = ((feature.impute ?? mean) - mean) / scale;
      return {
        width: missingIndicator ? 2 : 1,
        write(value, row, features, at) {
          const number = toNumber(value, row);
          if (number === undefined) {
            features[at] = imputed;
            if (missingIndicator) features[at + 1] = 1;
            return MISSING;
          }
          features[at] = (number - mean) / scale;
          return VALUE;
        },
      };
    }
    case 'categorical': {
      const { vocabulary, missingBucket } = feature;
      const slotOf = new Map(vocabulary.map((category, slot) => [category, slot]));
      return {
        width: vocabulary.length + (missingBucket ? 1 : 0),
        write(value, row, features, at) {
          const text = toText(value, row);
          if (text === undefined) {
            if (missingBucket) features[at + vocabulary.length] = 1;
            return MISSING;
          }
          const slot = slotOf.get(text);
          if (slot === undefined) return UNSEEN;
          features[at + slot] = 1;
          return VALUE;
        },
      };
    }
    case 'hashed': {
      const { buckets } = feature;
      return {
        width: buckets,
        write(value, row, features, at) {
          const text = toText(value, row);
          if (text === undefined) return MISSING;
          features[at + hashBucket(text, buckets)] = 1;
          return VALUE;
        },
      };
    }
    case 'date': {
      const { name, parts } = feature;
      return {
        width: parts.length,
        write(value, row, features, at) {
          const text = toText(value, row);
          // A missing date takes each part's training mean: 0 once standardised, which the zeroed matrix holds.
          if (text === undefined) return MISSING;
          const instant = parseIsoLikeDate(text);
          if (instant === undefined) {
            throw new TransformInputError(`date feature "${name}" is ${JSON.stringify(value)} at row ${row}: expected ${DATE_SPELLING}`, name, row);
          }
          const values = dateParts(instant);
          parts.forEach(({ part, mean, scale }, index) => {
            features[at + index] = (values[part] - mean) / scale;
          });
          return VALUE;
        },
      };
    }
  }
}

/** A present value (text already trimmed) as a number. */
function numberOf(value: number | string | boolean, feature: string, row: number): number {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? parseDecimal(value) : undefined;
  if (parsed === undefined || !Number.isFinite(parsed)) {
    throw new TransformInputError(`numeric feature "${feature}" is ${JSON.stringify(value)} at row ${row}: expected a finite number`, feature, row);
  }
  return parsed;
}

/** A present value (text already trimmed) as text. */
function textOf(value: number | string | boolean, feature: string, row: number): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // Serving input comes from JSON, so objects can arrive despite the type.
  throw new TransformInputError(`feature "${feature}" is ${JSON.stringify(value)} at row ${row}: expected a string or a number`, feature, row);
}
