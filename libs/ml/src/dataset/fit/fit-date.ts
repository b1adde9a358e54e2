import { DATE_PARTS } from '@slipway/contracts';
import type { TextColumn } from '../table/table';
import { dateParts, parseIsoLikeDate } from '../values/iso-like-date';
import { droppedColumn, type FittedColumn } from './fitted-column';
import { scaleOf } from './numeric-statistics';

/**
 * A date as its UTC parts (year, month, day of week, day of year), each standardised with the train rows' mean and
 * std. A missing date takes each part's mean, which standardises to 0.
 */
export function fitDate(column: TextColumn, trainRows: readonly number[]): FittedColumn {
  // Each distinct value is parsed once, not once per row.
  const instants = column.dictionary.map((value) => parseIsoLikeDate(value) ?? Number.NaN);
  const partsByCode = instants.map(dateParts);
  const present = trainRows.filter((row) => column.codes[row] >= 0);
  if (present.length === 0) return droppedColumn('no value in the train split');

  const parts = DATE_PARTS.map((part) => {
    let sum = 0;
    for (const row of present) sum += partsByCode[column.codes[row]][part];
    const mean = sum / present.length;
    let squares = 0;
    for (const row of present) squares += (partsByCode[column.codes[row]][part] - mean) ** 2;
    return { part, mean, scale: scaleOf(Math.sqrt(squares / present.length)) };
  });

  let [first, last] = [present[0], present[0]];
  for (const row of present) {
    if (instants[column.codes[row]] < instants[column.codes[first]]) first = row;
    if (instants[column.codes[row]] > instants[column.codes[last]]) last = row;
  }
  const textOf = (row: number) => column.dictionary[column.codes[row]];
  return {
    kind: 'date',
    feature: {
      name: column.name,
      kind: 'date',
      parts,
      statistics: { count: present.length, min: textOf(first), max: textOf(last), missing: trainRows.length - present.length },
    },
    action: "year, month, day of week, day of year (UTC), each standardised; missing → each part's mean",
    warnings: [],
  };
}
