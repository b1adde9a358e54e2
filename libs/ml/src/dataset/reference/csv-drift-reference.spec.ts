import { driftReferenceSchema } from '@slipway/contracts';
import { DatasetError } from '../../errors/dataset.error';
import { csvDriftReference } from './csv-drift-reference';

const csv = (text: string) => new TextEncoder().encode(text);

describe('csvDriftReference', () => {
  it('keeps a numeric column’s range and deciles and a text column’s frequencies, counting missing cells apart', async () => {
    const rows = Array.from({ length: 11 }, (_, i) => `${i},${i % 3 === 0 ? 'red' : 'blue'}`);
    const reference = await csvDriftReference(csv(['size,colour', ...rows, 'NA,'].join('\n')), 'reference.csv');

    expect(driftReferenceSchema.parse(reference)).toEqual(reference);
    expect(reference.rows).toBe(12);
    const [size, colour] = reference.features;
    expect(size).toMatchObject({ name: 'size', kind: 'numeric', statistics: { count: 11, min: 0, max: 10, missing: 1 } });
    // Eleven values 0 … 10: the deciles fall on 1 … 9, as the transform's quantile function places them.
    expect(size?.kind === 'numeric' && size.statistics.quantiles).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(colour).toEqual({ name: 'colour', kind: 'categorical', statistics: { count: 11, frequencies: { blue: 7, red: 4 }, missing: 1 } });
    expect(Object.keys(colour?.kind === 'categorical' ? colour.statistics.frequencies : {})).toEqual(['blue', 'red']);
  });

  it('reads a column of numbers followed by text as text, as data preparation does', async () => {
    const reference = await csvDriftReference(csv('code\n1\n2\nx\n'), 'codes.csv');
    expect(reference.features[0]).toMatchObject({ kind: 'categorical', statistics: { frequencies: { '1': 1, '2': 1, x: 1 } } });
  });

  it.each([
    ['an empty file', '', 'codes.csv is empty'],
    ['a header without rows', 'a,b\n', 'codes.csv has a header row but no data rows'],
    ['a row of the wrong length', 'a,b\n1,2\n3\n', 'codes.csv, line 3'],
    ['a column without a value', 'a,b\n1,NA\n2,\n', 'codes.csv: column "b" has no value'],
  ])('refuses %s, naming the file', async (_case, text, message) => {
    const reading = csvDriftReference(csv(text), 'codes.csv');
    await expect(reading).rejects.toThrow(DatasetError);
    await expect(reading).rejects.toThrow(message);
  });
});
