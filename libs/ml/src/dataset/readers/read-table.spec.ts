import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_MISSING_VALUES, type DatasetFormat } from '@slipway/contracts';
import { DatasetError } from '../../errors/dataset.error';
import { inMemorySource, type RawSource } from '../sources/raw-source';
import type { ColumnStorage } from '../table/column-builder';
import type { NumericColumn, Table, TextColumn } from '../table/table';
import { ROW_NAMES_COLUMN } from './csv-header';
import { readTable } from './read-table';

const FIXTURES = join(__dirname, '../fixtures');

/** A source that only streams, in chunks of a few bytes, so records and even cells span chunks. */
function tricklingSource(text: string, chunkBytes = 7): RawSource & { streams: number } {
  const bytes = Buffer.from(text);
  const source = {
    ...inMemorySource('trickle.csv', 'trickle.csv', bytes),
    streams: 0,
    stream() {
      source.streams += 1;
      return Readable.from((function* () {
        for (let offset = 0; offset < bytes.length; offset += chunkBytes) yield bytes.subarray(offset, offset + chunkBytes);
      })());
    },
    randomAccess: () => Promise.reject(new Error('CSV must be streamed, not read at random')),
  };
  return source;
}

const read = (source: RawSource, format: DatasetFormat = 'csv', storage: Record<string, ColumnStorage> = {}) =>
  readTable(source, { format, missingValues: [...DEFAULT_MISSING_VALUES], storageOf: (name) => storage[name] ?? 'auto' });

function column<T extends 'numeric' | 'text'>(table: Table, name: string, storage: T): T extends 'numeric' ? NumericColumn : TextColumn {
  const found = table.columns.find((candidate) => candidate.name === name);
  if (found?.storage !== storage) throw new Error(`column ${name} is ${found?.storage}, expected ${storage}`);
  return found as T extends 'numeric' ? NumericColumn : TextColumn;
}

const texts = (text: TextColumn) => Array.from(text.codes, (code) => (code < 0 ? null : text.dictionary[code]));

describe('readTable', () => {
  describe('CSV', () => {
    it('streams records into columns: numbers as a Float64Array, text as dictionary codes, missing tokens as gaps', async () => {
      const source = tricklingSource('size,colour,label\n1.5, red ,a\nNA,blue,b\n"2.25",red,a\n?,,b\n');
      const table = await read(source);
      expect(source.streams).toBe(1);
      expect(table.rowCount).toBe(4);
      const size = column(table, 'size', 'numeric');
      expect(size.values).toBeInstanceOf(Float64Array);
      expect(Array.from(size.values)).toEqual([1.5, Number.NaN, 2.25, Number.NaN]);
      expect(size.missing).toBe(2);
      const colour = column(table, 'colour', 'text');
      expect(colour.codes).toBeInstanceOf(Int32Array);
      expect(colour.dictionary).toEqual(['red', 'blue']);
      expect(texts(colour)).toEqual(['red', 'blue', 'red', null]);
    });

    it('keeps the spelling of numbers read before a column turns out to be text, by reading it again as text', async () => {
      const source = tricklingSource('code,label\n5.0,a\n007,b\nx1,a\n7,b\n');
      const code = column(await read(source), 'code', 'text');
      expect(texts(code)).toEqual(['5.0', '007', 'x1', '7']);
      expect(source.streams).toBe(2);
    });

    it('turns canonically spelt numbers into text without reading again', async () => {
      const source = tricklingSource('code,label\n5,a\n12.5,b\nNA,a\nx1,b\n');
      expect(texts(column(await read(source), 'code', 'text'))).toEqual(['5', '12.5', null, 'x1']);
      expect(source.streams).toBe(1);
    });

    it('stores the columns the pipeline sets as text or numbers so, and names the row of a value that is not a number', async () => {
      const table = await read(tricklingSource('zip,n,label\n02139,1,a\n10001,2,b\n'), 'csv', { zip: 'text', n: 'numeric' });
      expect(texts(column(table, 'zip', 'text'))).toEqual(['02139', '10001']);
      await expect(read(tricklingSource('n,label\n1,a\ntwo,b\n'), 'csv', { n: 'numeric' })).rejects.toThrow(
        new DatasetError('trickle.csv: column "n" is set as numeric (columns.numeric) but holds "two" in data row 2'),
      );
    });

    it('names the blank first header column R and pandas write for their row names, which inference can then drop', async () => {
      const table = await read(tricklingSource('"","carat","cut"\n"1",0.23,"Ideal"\n"2",0.21,"Premium"\n'));
      expect(table.columns.map((candidate) => candidate.name)).toEqual([ROW_NAMES_COLUMN, 'carat', 'cut']);
      await expect(read(tricklingSource('a,,c\n1,2,3\n'))).rejects.toThrow('trickle.csv, line 1: header column 2 has no name');
    });

    it('names the file and line of a ragged row, and refuses empty files and headers without rows', async () => {
      await expect(read(tricklingSource('a,b\n1,2\n3\n'))).rejects.toThrow(/trickle\.csv, line 3/);
      await expect(read(tricklingSource(''))).rejects.toThrow('trickle.csv is empty: expected a header row and data rows');
      await expect(read(tricklingSource('a,b\n'))).rejects.toThrow('trickle.csv has a header row but no data rows');
      await expect(read(tricklingSource('a,a\n1,2\n'))).rejects.toThrow(/column "a" appears twice/);
    });
  });

  describe('JSON Lines', () => {
    const jsonl = (lines: string[]) => inMemorySource('cars.jsonl', 'cars.jsonl', Buffer.from(lines.join('\n')));

    it('reads one object per line; keys missing from a line, null and tokens are missing values', async () => {
      const table = await read(
        jsonl(['{"mpg":18,"origin":"USA","hp":130}', '', '{"mpg":null,"origin":"Japan"}', '{"mpg":"NA","origin":"Europe","hp":95,"turbo":true}']),
        'jsonl',
      );
      expect(table.rowCount).toBe(3);
      expect(table.columns.map((c) => c.name)).toEqual(['mpg', 'origin', 'hp', 'turbo']);
      expect(Array.from(column(table, 'mpg', 'numeric').values)).toEqual([18, Number.NaN, Number.NaN]);
      expect(Array.from(column(table, 'hp', 'numeric').values)).toEqual([130, Number.NaN, 95]);
      expect(texts(column(table, 'turbo', 'text'))).toEqual([null, null, 'true']);
    });

    it('names the line of something that is not a JSON object, and nested values', async () => {
      await expect(read(jsonl(['{"a":1}', '[1,2]']), 'jsonl')).rejects.toThrow('cars.jsonl, line 2: expected a JSON object per line');
      await expect(read(jsonl(['{"a":1}', '{"a":'] ), 'jsonl')).rejects.toThrow(/cars\.jsonl, line 2: not JSON/);
      await expect(read(jsonl(['{"a":{"b":1}}']), 'jsonl')).rejects.toThrow(/cars\.jsonl, line 1, "a": nested values/);
    });
  });

  describe('Parquet', () => {
    // fixtures/weather.parquet: 40 rows in 3 row groups, a different codec per column (see make-weather-parquet.py).
    it('reads every row group and codec into columns; dates become ISO text, nulls missing', async () => {
      const bytes = await readFile(join(FIXTURES, 'weather.parquet'));
      const table = await read(inMemorySource('weather.parquet', 'weather.parquet', bytes), 'parquet');
      expect(table.rowCount).toBe(40);
      expect(table.columns.map((c) => c.name)).toEqual(['reading_id', 'day', 'observed_at', 'temp_max', 'wind', 'station', 'weather']);
      expect(Array.from(column(table, 'reading_id', 'numeric').values.slice(0, 3))).toEqual([1, 2, 3]);
      const day = texts(column(table, 'day', 'text'));
      expect(day.slice(0, 6)).toEqual(['2012-01-01', '2012-01-04', '2012-01-07', '2012-01-10', '2012-01-13', null]);
      expect(texts(column(table, 'observed_at', 'text'))[39]).toBe('2012-02-09T06:30:00.000Z');
      const temp = column(table, 'temp_max', 'numeric');
      expect([temp.values[0], temp.values[1], temp.missing]).toEqual([5, 8.5, 4]);
      expect(Array.from(column(table, 'wind', 'numeric').values.slice(0, 3))).toEqual([0, 1.5, 3]);
      expect(texts(column(table, 'station', 'text')).slice(0, 4)).toEqual(['north', 'south', null, 'east']);
      expect(column(table, 'weather', 'text').dictionary).toEqual(['sun', 'rain', 'fog', 'drizzle']);
    });

    it('names a file that is not Parquet', async () => {
      await expect(read(inMemorySource('fake.parquet', 'fake.parquet', Buffer.from('a,b\n1,2\n')), 'parquet')).rejects.toThrow(/fake\.parquet is not a readable Parquet file/);
    });
  });
});
