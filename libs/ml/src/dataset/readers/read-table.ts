import type { DatasetFormat } from '@slipway/contracts';
import type { RawSource } from '../sources/raw-source';
import { ColumnSpellingLost, type ColumnStorage } from '../table/column-builder';
import type { Table } from '../table/table';
import { TableBuilder } from '../table/table-builder';
import { readCsv } from './read-csv';
import { readJsonLines } from './read-json-lines';
import { readParquet } from './read-parquet';

const READERS: Record<DatasetFormat, (source: RawSource, table: TableBuilder) => Promise<void>> = {
  csv: readCsv,
  jsonl: readJsonLines,
  parquet: readParquet,
};

export interface ReadTableOptions {
  format: DatasetFormat;
  missingValues: readonly string[];
  /** How the pipeline wants a column stored; `auto` for the rest. */
  storageOf: (column: string) => ColumnStorage;
}

/**
 * Reads a source into a columnar table. A column that turns out to be text after numbers whose spelling was lost
 * is read again from the start as text (once per such column; it only happens when text follows odd spellings).
 */
export async function readTable(source: RawSource, { format, missingValues, storageOf }: ReadTableOptions): Promise<Table> {
  const asText = new Set<string>();
  const missing = new Set(missingValues);
  for (;;) {
    const table = new TableBuilder(source.description, { missingValues: missing, storageOf: (name) => (asText.has(name) ? 'text' : storageOf(name)) });
    try {
      await READERS[format](source, table);
      return table.finish();
    } catch (error) {
      if (!(error instanceof ColumnSpellingLost)) throw error;
      asText.add(error.column);
    }
  }
}
