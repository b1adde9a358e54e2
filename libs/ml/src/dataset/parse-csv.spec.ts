import { DatasetError } from '../errors/dataset.error';
import { parseCsv } from './parse-csv';

describe('parseCsv', () => {
  it('keys rows by the header and trims values', () => {
    const rows = parseCsv('a, b\n 1 ,x \n2,y\n', 'data.csv');
    expect(rows).toEqual([
      { a: '1', b: 'x' },
      { a: '2', b: 'y' },
    ]);
  });

  it('rejects an empty file, naming it', () => {
    expect(() => parseCsv(' \n', '/data/empty.csv')).toThrow(new DatasetError('/data/empty.csv is empty: expected a header row and data rows'));
  });

  it('rejects a header without rows', () => {
    expect(() => parseCsv('a,b\n', 'only-header.csv')).toThrow(/only-header\.csv has a header row but no data rows/);
  });

  it('rejects a ragged row, naming the file and line', () => {
    const attempt = () => parseCsv('a,b\n1,2\n3\n4,5\n', 'ragged.csv');
    expect(attempt).toThrow(DatasetError);
    expect(attempt).toThrow(/ragged\.csv, line 3/);
  });

  it('rejects duplicate and blank header names', () => {
    expect(() => parseCsv('a,a\n1,2\n', 'dup.csv')).toThrow(/dup\.csv, line 1: column "a" appears twice/);
    expect(() => parseCsv('a,\n1,2\n', 'blank.csv')).toThrow(/blank\.csv, line 1: header column 2 has no name/);
  });
});
