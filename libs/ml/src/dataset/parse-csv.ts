import { CsvError, parse } from 'csv-parse/sync';
import { DatasetError } from '../errors/dataset.error';
import type { CsvRecord } from './csv-record';
import { checkCsvHeader } from './readers/csv-header';

/**
 * Parses CSV text with a header row into records. `file` names the source in every error.
 * @throws DatasetError for an empty file, a header without data rows, duplicate or blank header names,
 *   and rows whose field count differs from the header (naming the line).
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
  if (text.trim() === '') throw new DatasetError(`${file} is empty: expected a header row and data rows`);
  let records: CsvRecord[];
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      columns: (header: string[]) => checkCsvHeader(header, file),
    });
  } catch (error) {
    if (error instanceof CsvError) throw new DatasetError(`${file}, line ${error.lines}: ${error.message}`);
    throw error;
  }
  if (records.length === 0) throw new DatasetError(`${file} has a header row but no data rows`);
  return records;
}
