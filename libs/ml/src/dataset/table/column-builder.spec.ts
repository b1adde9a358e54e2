import { ColumnBuilder, type ColumnStorage } from './column-builder';

const builder = (storage: ColumnStorage) => new ColumnBuilder('id', storage, new Set(['NA']), 'ids.parquet');

describe('ColumnBuilder', () => {
  it('turns a column into text, exactly, when a number a double cannot hold arrives (a Parquet INT64 beyond 2^53)', () => {
    const column = builder('auto');
    column.pushNumber(42);
    column.pushMissing();
    column.pushUnrepresentableNumber('9007199254740993');
    expect(column.finish()).toMatchObject({ storage: 'text', dictionary: ['42', '9007199254740993'], codes: Int32Array.from([0, -1, 1]), missing: 1 });
  });

  it('takes the nearest double for such a number in a column the pipeline set as numeric', () => {
    const column = builder('numeric');
    column.pushUnrepresentableNumber('9007199254740993');
    expect(column.finish()).toMatchObject({ storage: 'numeric', values: Float64Array.from([9007199254740992]) });
  });
});
