import { createInterface } from 'node:readline';
import { DatasetError } from '../../errors/dataset.error';
import type { RawSource } from '../sources/raw-source';
import type { ColumnBuilder } from '../table/column-builder';
import type { TableBuilder } from '../table/table-builder';

/**
 * Streams JSON Lines (one object per line) into the table. Columns are the keys in order of first appearance; a key
 * a line lacks, or null, is a missing value. Blank lines are skipped.
 * @throws DatasetError naming the file and line for a line that is not a JSON object, and for nested values.
 */
export async function readJsonLines(source: RawSource, table: TableBuilder): Promise<void> {
  let line = 0;
  for await (const text of createInterface({ input: source.stream(), crlfDelay: Number.POSITIVE_INFINITY })) {
    line += 1;
    const content = line === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (content.trim() === '') continue;
    const where = `${source.description}, line ${line}`;
    const record = parseLine(content, where);
    for (const [key, value] of Object.entries(record)) {
      if (key === '') throw new DatasetError(`${where}: a key is empty`);
      pushJsonValue(table.column(key), value, `${where}, "${key}"`);
    }
    table.advanceTo(table.rowCount + 1);
  }
  if (table.rowCount === 0) throw new DatasetError(`${source.description} holds no JSON objects: expected one per line`);
}

function parseLine(content: string, where: string): Record<string, unknown> {
  let record: unknown;
  try {
    record = JSON.parse(content);
  } catch (error) {
    throw new DatasetError(`${where}: not JSON (${(error as Error).message})`);
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new DatasetError(`${where}: expected a JSON object per line`);
  return record as Record<string, unknown>;
}

function pushJsonValue(column: ColumnBuilder, value: unknown, where: string): void {
  if (value === null) column.pushMissing();
  else if (typeof value === 'number') column.pushNumber(value);
  else if (typeof value === 'string') column.pushText(value.trim());
  else if (typeof value === 'boolean') column.pushText(String(value));
  else throw new DatasetError(`${where}: nested values (objects, arrays) are not read; flatten them into columns of their own`);
}
