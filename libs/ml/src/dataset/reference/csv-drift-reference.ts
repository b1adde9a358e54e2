import { DEFAULT_MISSING_VALUES, type DriftReference, type DriftReferenceFeature } from '@slipway/contracts';
import { DatasetError } from '../../errors/dataset.error';
import { numericStatistics } from '../fit/numeric-statistics';
import { readTable } from '../readers/read-table';
import { inMemorySource } from '../sources/raw-source';
import { presentValues } from '../table/present-values';
import type { TableColumn } from '../table/table';

/**
 * The drift reference of reference rows given as CSV (typically a model's training or validation inputs): per column
 * the statistics a fitted transform keeps of a feature — a numeric column's range and deciles, a text column's
 * frequencies. It is read as data preparation reads a data set, so a column is numeric or text, and a cell missing
 * (DEFAULT_MISSING_VALUES), the same way.
 * @param description names the file in errors
 * @throws DatasetError naming the file for an empty file, a bad header or row, no data rows, or a column without a value
 */
export async function csvDriftReference(csv: Uint8Array, description: string): Promise<DriftReference> {
  const source = inMemorySource(description, description, Buffer.from(csv.buffer, csv.byteOffset, csv.byteLength));
  const table = await readTable(source, { format: 'csv', missingValues: DEFAULT_MISSING_VALUES, storageOf: () => 'auto' });
  return { version: 1, rows: table.rowCount, features: table.columns.map((column) => referenceOf(column, description)) };
}

function referenceOf(column: TableColumn, description: string): DriftReferenceFeature {
  if (column.storage === 'numeric') {
    const sorted = presentValues(column.values).sort();
    if (sorted.length === 0) throw new DatasetError(`${description}: column "${column.name}" has no value, so it has no distribution to compare with`);
    return { name: column.name, kind: 'numeric', statistics: numericStatistics(sorted, column.missing) };
  }
  const counts = new Array<number>(column.dictionary.length).fill(0);
  for (const code of column.codes) if (code >= 0) counts[code] += 1;
  // Keyed in sorted order, as a transform's frequencies are, so the stored JSON does not depend on row order.
  const frequencies = Object.fromEntries(column.dictionary.map((value, code) => [value, counts[code]] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { name: column.name, kind: 'categorical', statistics: { count: column.codes.length - column.missing, frequencies, missing: column.missing } };
}
