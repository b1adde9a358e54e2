import type { InferredSchema } from '@slipway/contracts';
import { DatasetError } from '../errors/dataset.error';
import type { CsvRecord } from './csv-record';
import { parseDecimal } from './parse-decimal';

/**
 * Decides each column's kind: the label, numeric when every non-empty value is a decimal number (unless forced
 * categorical), categorical otherwise. Strict on purpose: an empty numeric cell is an error, not an imputed value.
 * @throws DatasetError naming the column (and row, 1-based among data rows) that makes the data unusable.
 */
export function inferSchema(
  rows: readonly CsvRecord[],
  labelColumn: string,
  categoricalColumns: readonly string[] = [],
): InferredSchema {
  if (rows.length === 0) throw new DatasetError('the data set has no rows');
  const names = Object.keys(rows[0]);
  const listed = names.map((name) => `"${name}"`).join(', ');
  if (!names.includes(labelColumn)) {
    throw new DatasetError(`label column "${labelColumn}" is not in the data; its columns are ${listed}`);
  }
  for (const forced of categoricalColumns) {
    if (!names.includes(forced)) {
      throw new DatasetError(`categorical column "${forced}" is not in the data; its columns are ${listed}`);
    }
  }
  if (names.length < 2) throw new DatasetError(`the data has only the label column "${labelColumn}": no features`);
  checkLabel(rows, labelColumn);

  const columns = names.map((name) => {
    if (name === labelColumn) return { name, kind: 'label' as const };
    if (categoricalColumns.includes(name) || !looksNumeric(rows, name)) return { name, kind: 'categorical' as const };
    const emptyRow = rows.findIndex((row) => row[name] === '');
    if (emptyRow >= 0) {
      throw new DatasetError(`numeric column "${name}" is empty in data row ${emptyRow + 1}; fill or drop that row`);
    }
    return { name, kind: 'numeric' as const };
  });
  return { columns };
}

function looksNumeric(rows: readonly CsvRecord[], name: string): boolean {
  return rows.every((row) => row[name] === '' || parseDecimal(row[name]) !== undefined);
}

function checkLabel(rows: readonly CsvRecord[], labelColumn: string): void {
  const emptyRow = rows.findIndex((row) => row[labelColumn] === '');
  if (emptyRow >= 0) throw new DatasetError(`label column "${labelColumn}" is empty in data row ${emptyRow + 1}`);
  const classes = new Set(rows.map((row) => row[labelColumn]));
  if (classes.size < 2) {
    throw new DatasetError(
      `label column "${labelColumn}" has ${classes.size} class (${[...classes].join(', ')}); a classifier needs at least 2`,
    );
  }
}
