import type { DatasetSource } from '@slipway/contracts';
import { DatasetError } from '../../errors/dataset.error';
import type { Table, TableColumn } from '../table/table';

/** A numeric label with more distinct values than this is learnt as a regression unless the pipeline says otherwise. */
export const MAX_CLASSES_INFERRED = 20;
/** A numeric label with more distinct values than this share of its rows (or with fractions) cannot be classes. */
export const CONTINUOUS_DISTINCT_SHARE = 0.05;

interface LabelBasics {
  name: string;
  origin: 'pipeline' | 'inferred';
  /** Rows that have a label, ascending: the others are dropped. */
  rows: number[];
  missing: number;
  distinct: number;
}

export type LabelColumn =
  | (LabelBasics & { task: 'classification'; classOf: (row: number) => string })
  | (LabelBasics & { task: 'regression'; valueOf: (row: number) => number });

/**
 * Decides the task and reads the label. The task is the pipeline's, or inferred: a numeric label with more than
 * 20 distinct values is a regression, anything else classification. Refused: classification of a label that looks
 * continuous (more than 20 distinct numbers that are not all integers, or more than 5% of the labelled rows), and
 * regression of a label that is not numeric.
 * @throws DatasetError naming the label and why it cannot be learnt.
 */
export function labelColumn(table: Table, source: DatasetSource): LabelColumn {
  const name = source.labelColumn;
  const column = table.columns.find((candidate) => candidate.name === name);
  if (column === undefined) {
    const listed = table.columns.map((candidate) => `"${candidate.name}"`).join(', ');
    throw new DatasetError(`label column "${name}" is not in the data; its columns are ${listed}`);
  }
  if (table.columns.length < 2) throw new DatasetError(`the data has only the label column "${name}": no features`);
  const rows = labelledRows(column);
  if (rows.length === 0) throw new DatasetError(`label column "${name}" has no values: every row's label is missing`);
  const basics = { name, origin: source.task ? ('pipeline' as const) : ('inferred' as const), rows, missing: table.rowCount - rows.length };
  return column.storage === 'numeric' ? numericLabel(column.values, basics, source) : textLabel(column.codes, column.dictionary, basics, source);
}

/** True when a numeric label must be read again as text to name its classes exactly as the data spells them. */
export function labelNeedsText(table: Table, label: LabelColumn): boolean {
  const column = table.columns.find((candidate) => candidate.name === label.name);
  return label.task === 'classification' && column?.storage === 'numeric' && !column.canonicalSpelling;
}

function numericLabel(values: Float64Array, basics: Omit<LabelBasics, 'distinct'>, source: DatasetSource): LabelColumn {
  const sorted = Float64Array.from(basics.rows, (row) => values[row]).sort();
  let distinct = 0;
  for (let index = 0; index < sorted.length; index += 1) if (index === 0 || sorted[index] !== sorted[index - 1]) distinct += 1;
  const fractions = sorted.some((value) => !Number.isInteger(value));
  const continuous = distinct > MAX_CLASSES_INFERRED && (fractions || distinct > CONTINUOUS_DISTINCT_SHARE * sorted.length);
  const task = source.task ?? (distinct > MAX_CLASSES_INFERRED ? 'regression' : 'classification');
  const label = { ...basics, distinct };
  if (task === 'classification') {
    if (continuous) {
      const why = fractions ? 'not all integers' : `more than ${CONTINUOUS_DISTINCT_SHARE * 100}% of its ${sorted.length} rows`;
      throw new DatasetError(
        `label column "${basics.name}" looks continuous: ${distinct} distinct numbers, ${why}; a classifier would learn one class per value. Set task: regression to predict the value (or bin it into classes first)`,
      );
    }
    assertClasses(label, () => [...new Set(sorted)].map(String));
    return { ...label, task, classOf: (row) => String(values[row]) };
  }
  if (distinct < 2) throw new DatasetError(`label column "${basics.name}" has one value only (${sorted[0]}): a regression has nothing to learn`);
  return { ...label, task, valueOf: (row) => values[row] };
}

function textLabel(codes: Int32Array, dictionary: readonly string[], basics: Omit<LabelBasics, 'distinct'>, source: DatasetSource): LabelColumn {
  if (source.task === 'regression') {
    const example = basics.rows.find((row) => codes[row] >= 0) ?? 0;
    throw new DatasetError(
      `label column "${basics.name}" holds text such as ${JSON.stringify(dictionary[codes[example]])} (data row ${example + 1}): a regression needs a numeric label; set task: classification or fix the values`,
    );
  }
  const label = { ...basics, distinct: dictionary.length };
  assertClasses(label, () => [...dictionary]);
  return { ...label, task: 'classification', classOf: (row) => dictionary[codes[row]] };
}

function assertClasses(label: LabelBasics & { distinct: number }, classes: () => string[]): void {
  if (label.distinct >= 2) return;
  throw new DatasetError(`label column "${label.name}" has ${label.distinct} class (${classes().join(', ')}); a classifier needs at least 2`);
}

function labelledRows(column: TableColumn): number[] {
  const rows: number[] = [];
  if (column.storage === 'numeric') column.values.forEach((value, row) => Number.isNaN(value) || rows.push(row));
  else column.codes.forEach((code, row) => code < 0 || rows.push(row));
  return rows;
}
