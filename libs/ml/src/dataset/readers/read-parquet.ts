import { parquetScan, parquetSchema, type ParquetScan } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DatasetError } from '../../errors/dataset.error';
import type { RawSource } from '../sources/raw-source';
import type { ColumnBuilder } from '../table/column-builder';
import type { TableBuilder } from '../table/table-builder';

/**
 * Reads a Parquet file into the table one row group and column at a time (hyparquet, with every codec of
 * hyparquet-compressors), so only one column chunk is decoded at once. Dates and timestamps become ISO strings.
 * @throws DatasetError naming the file for bytes that are not Parquet, nested or binary columns, and no rows.
 */
export async function readParquet(source: RawSource, table: TableBuilder): Promise<void> {
  const scan = await openScan(source);
  const names = parquetSchema(scan.metadata).children.map((child) => child.element.name);
  const columns = names.map((name) => table.column(name));
  for (const { rowStart, rowEnd } of scan.ranges) {
    for (const [index, name] of names.entries()) {
      const values = await readColumn(scan, source, name, rowStart, rowEnd);
      for (let offset = 0; offset < values.length; offset += 1) {
        pushParquetValue(columns[index], values[offset], () => `${source.description}, column "${name}", row ${rowStart + offset + 1}`);
      }
    }
    table.advanceTo(rowEnd);
  }
  if (table.rowCount === 0) throw new DatasetError(`${source.description} is a Parquet file without rows`);
}

async function openScan(source: RawSource): Promise<ParquetScan> {
  try {
    return await parquetScan({ file: await source.randomAccess(), compressors });
  } catch (error) {
    throw new DatasetError(`${source.description} is not a readable Parquet file: ${(error as Error).message}`);
  }
}

async function readColumn(scan: ParquetScan, source: RawSource, name: string, rowStart: number, rowEnd: number): Promise<ArrayLike<unknown>> {
  let values: ArrayLike<unknown>;
  try {
    values = await scan.readColumn({ column: name, rowStart, rowEnd });
  } catch (error) {
    throw new DatasetError(`${source.description}, column "${name}", rows ${rowStart + 1}–${rowEnd}: ${(error as Error).message}`);
  }
  if (values.length !== rowEnd - rowStart) {
    throw new DatasetError(`${source.description}, column "${name}": ${values.length} values for rows ${rowStart + 1}–${rowEnd}; nested (repeated) columns are not read`);
  }
  return values;
}

function pushParquetValue(column: ColumnBuilder, value: unknown, where: () => string): void {
  if (value === null || value === undefined) column.pushMissing();
  else if (typeof value === 'number') column.pushNumber(value);
  else if (typeof value === 'bigint') pushBigInt(column, value);
  else if (typeof value === 'string') column.pushText(value.trim());
  else if (typeof value === 'boolean') column.pushText(String(value));
  else if (value instanceof Date) column.pushText(isoDate(value));
  else if (value instanceof Uint8Array) throw new DatasetError(`${where()}: binary values are not read; store text as UTF-8 strings`);
  else throw new DatasetError(`${where()}: nested values (structs, lists, maps) are not read; flatten them into columns of their own`);
}

/** INT64 values a double holds exactly stay numbers; larger ones (identifiers, mostly) are kept as text. */
function pushBigInt(column: ColumnBuilder, value: bigint): void {
  const asNumber = Number(value);
  if (Number.isSafeInteger(asNumber)) column.pushNumber(asNumber);
  else column.pushUnrepresentableNumber(String(value));
}

/** A DATE (midnight UTC) as `2007-11-11`, a timestamp as full ISO 8601 in UTC. */
function isoDate(value: Date): string {
  const iso = value.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}
