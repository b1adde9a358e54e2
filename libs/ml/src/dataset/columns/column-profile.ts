import { presentValues } from '../table/present-values';
import type { TableColumn } from '../table/table';
import { parseIsoLikeDate } from '../values/iso-like-date';

/** What a column holds over all rows read: the figures of its report line and what role inference looks at. */
export interface ColumnProfile {
  missing: number;
  /** Distinct values that are not missing. */
  distinct: number;
  /** The one value, when there is exactly one. */
  onlyValue?: string;
  /** Every non-missing value differs from the others. */
  allDistinct: boolean;
  /** Numeric: every value an integer, together exactly the integers min…max (row numbers, sequential identifiers). */
  integerSequence?: { min: number; max: number };
  /** Text: every value an ISO-like date. */
  allDates: boolean;
}

export function profileColumn(column: TableColumn): ColumnProfile {
  return column.storage === 'numeric' ? profileNumbers(column.values, column.missing) : profileText(column.dictionary, column.codes.length - column.missing, column.missing);
}

function profileNumbers(values: Float64Array, missing: number): ColumnProfile {
  const sorted = presentValues(values).sort();
  let distinct = 0;
  let integers = true;
  for (let index = 0; index < sorted.length; index += 1) {
    if (index === 0 || sorted[index] !== sorted[index - 1]) distinct += 1;
    if (!Number.isInteger(sorted[index])) integers = false;
  }
  const allDistinct = distinct === sorted.length;
  const [min, max] = [sorted[0], sorted[sorted.length - 1]];
  return {
    missing,
    distinct,
    onlyValue: distinct === 1 ? String(min) : undefined,
    allDistinct,
    integerSequence: integers && allDistinct && sorted.length > 0 && max - min + 1 === sorted.length ? { min, max } : undefined,
    allDates: false,
  };
}

function profileText(dictionary: readonly string[], present: number, missing: number): ColumnProfile {
  return {
    missing,
    distinct: dictionary.length,
    onlyValue: dictionary.length === 1 ? dictionary[0] : undefined,
    allDistinct: dictionary.length === present,
    allDates: dictionary.length > 0 && dictionary.every((value) => parseIsoLikeDate(value) !== undefined),
  };
}

