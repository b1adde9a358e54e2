import { DatasetError } from '../errors/dataset.error';
import { inferSchema } from './infer-schema';

const rows = [
  { size: '1.5', colour: 'red', zip: '02139', note: '', label: 'a' },
  { size: '-2e3', colour: 'blue', zip: '10001', note: 'x', label: 'b' },
  { size: '.25', colour: 'red', zip: '94105', note: '', label: 'a' },
];

describe('inferSchema', () => {
  it('marks numeric, categorical and label columns in column order', () => {
    expect(inferSchema(rows, 'label').columns).toEqual([
      { name: 'size', kind: 'numeric' },
      { name: 'colour', kind: 'categorical' },
      { name: 'zip', kind: 'numeric' },
      { name: 'note', kind: 'categorical' },
      { name: 'label', kind: 'label' },
    ]);
  });

  it('keeps forced categorical columns categorical even when they look numeric', () => {
    const zip = inferSchema(rows, 'label', ['zip']).columns.find((column) => column.name === 'zip');
    expect(zip?.kind).toBe('categorical');
  });

  it('treats hex, Infinity and NaN spellings as text, not numbers', () => {
    const odd = ['0x1F', 'Infinity', 'NaN'].map((value, index) => ({ v: value, label: index % 2 ? 'a' : 'b' }));
    expect(inferSchema(odd, 'label').columns[0]).toEqual({ name: 'v', kind: 'categorical' });
  });

  it('names the missing label column and lists the columns that exist', () => {
    expect(() => inferSchema(rows, 'species')).toThrow(
      new DatasetError('label column "species" is not in the data; its columns are "size", "colour", "zip", "note", "label"'),
    );
  });

  it('rejects a forced categorical column that does not exist', () => {
    expect(() => inferSchema(rows, 'label', ['city'])).toThrow(/categorical column "city" is not in the data/);
  });

  it('rejects a label with fewer than two classes', () => {
    const single = rows.map((row) => ({ ...row, label: 'a' }));
    expect(() => inferSchema(single, 'label')).toThrow(/label column "label" has 1 class \(a\); a classifier needs at least 2/);
  });

  it('rejects an empty cell in a numeric column, naming column and row', () => {
    const gap = rows.map((row, index) => (index === 2 ? { ...row, size: '' } : row));
    const attempt = () => inferSchema(gap, 'label');
    expect(attempt).toThrow(DatasetError);
    expect(attempt).toThrow(/numeric column "size" is empty in data row 3/);
  });

  it('rejects an empty label cell', () => {
    const gap = rows.map((row, index) => (index === 1 ? { ...row, label: '' } : row));
    expect(() => inferSchema(gap, 'label')).toThrow(/label column "label" is empty in data row 2/);
  });
});
