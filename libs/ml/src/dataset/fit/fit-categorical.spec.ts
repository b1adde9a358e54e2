import { datasetSourceSchema, type DatasetSourceInput } from '@slipway/contracts';
import { csvOf, tableFromCsv } from '../../testing/table-from-csv';
import type { TextColumn } from '../table/table';
import { fitCategorical } from './fit-categorical';

async function fit(cells: readonly string[], trainRows: readonly number[], overrides: Partial<DatasetSourceInput> = {}) {
  const { table } = await tableFromCsv(csvOf({ x: cells, label: cells.map(() => 'a') }));
  return fitCategorical(table.columns[0] as TextColumn, trainRows, datasetSourceSchema.parse({ uri: 'x.csv', labelColumn: 'label', ...overrides }));
}
const all = (count: number) => Array.from({ length: count }, (_, row) => row);
const colours = Array.from({ length: 40 }, (_, row) => ['red', 'blue', 'green', 'blue'][row % 4]);

describe('fitCategorical', () => {
  it('builds a sorted vocabulary with train frequencies', async () => {
    expect(await fit(colours, all(40))).toEqual({
      kind: 'categorical',
      feature: { name: 'x', kind: 'categorical', vocabulary: ['blue', 'green', 'red'], missingBucket: false, statistics: { count: 40, frequencies: { blue: 20, green: 10, red: 10 }, missing: 0 } },
      action: 'one-hot, 3 values',
      warnings: [],
    });
  });

  it('adds a missing bucket when the train split misses values; tokens are never categories', async () => {
    const gaps = colours.map((value, row) => (row % 5 === 0 ? 'NA' : row % 5 === 1 ? '' : value));
    const fitted = await fit(gaps, all(40));
    expect(fitted).toMatchObject({ feature: { vocabulary: ['blue', 'green', 'red'], missingBucket: true, statistics: { count: 24, missing: 16 } }, action: 'one-hot, 3 values, plus a missing bucket' });
    const withoutGaps = all(40).filter((row) => row % 5 > 1);
    expect(await fit(gaps, withoutGaps)).toMatchObject({ kind: 'categorical', feature: { missingBucket: false } });
  });

  it('learns the vocabulary from the train rows only', async () => {
    const withoutGreen = all(40).filter((row) => colours[row] !== 'green');
    expect(await fit(colours, withoutGreen)).toMatchObject({ kind: 'categorical', feature: { vocabulary: ['blue', 'red'] } });
  });

  const cities = Array.from({ length: 300 }, (_, row) => `city-${row % 60}`);

  it('hashes a categorical with more distinct train values than maxCategories, with a warning', async () => {
    expect(await fit(cities, all(300))).toEqual({
      kind: 'hashed',
      feature: { name: 'x', kind: 'hashed', buckets: 32, statistics: { count: 300, distinct: 60, missing: 0 } },
      action: 'hashed into 32 buckets (60 distinct values, 20% of the train rows)',
      warnings: ['high cardinality: 60 distinct values in the train split, more than maxCategories (50); values that share a bucket look alike to the model'],
    });
    expect(await fit(cities, all(300), { hashBuckets: 8 })).toMatchObject({ feature: { buckets: 8 } });
  });

  it('hashes one with more distinct values than maxCategoryShare of the train rows', async () => {
    const fitted = await fit(cities.slice(0, 100), all(100), { maxCategories: 100, maxCategoryShare: 0.5 });
    expect(fitted).toMatchObject({ kind: 'hashed', warnings: [expect.stringMatching(/60 distinct values in the train split, more than maxCategoryShare \(50% of its 100 rows\)/)] });
  });

  it('drops a high-cardinality categorical when highCardinality is drop', async () => {
    expect(await fit(cities, all(300), { highCardinality: 'drop' })).toEqual({
      kind: 'dropped',
      action: 'dropped: high cardinality (60 distinct values)',
      warnings: ['high cardinality: 60 distinct values in the train split, more than maxCategories (50)'],
    });
  });
});
