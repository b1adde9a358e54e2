import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { DatasetError } from '../../errors/dataset.error';
import type { RawSource } from '../sources/raw-source';
import type { ColumnBuilder } from '../table/column-builder';
import type { TableBuilder } from '../table/table-builder';
import { checkCsvHeader } from './csv-header';

/**
 * Streams a CSV with a header row into the table, one record at a time: nothing but the columns is kept.
 * @throws DatasetError naming the file (and line) for an empty file, a bad header or a row of the wrong length.
 */
export async function readCsv(source: RawSource, table: TableBuilder): Promise<void> {
  let columns: ColumnBuilder[] | undefined;
  const intoColumns = new Writable({
    objectMode: true,
    write(record: string[], _encoding, done) {
      try {
        if (columns === undefined) {
          columns = checkCsvHeader(record, source.description).map((name) => table.column(name));
        } else {
          for (let index = 0; index < columns.length; index += 1) columns[index].pushText(record[index]);
          table.advanceTo(table.rowCount + 1);
        }
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  try {
    await pipeline(source.stream(), parse({ bom: true, trim: true, skip_empty_lines: true }), intoColumns);
  } catch (error) {
    if (error instanceof CsvError) throw new DatasetError(`${source.description}, line ${error.lines}: ${error.message}`);
    throw error;
  }
  if (columns === undefined) throw new DatasetError(`${source.description} is empty: expected a header row and data rows`);
  if (table.rowCount === 0) throw new DatasetError(`${source.description} has a header row but no data rows`);
}
