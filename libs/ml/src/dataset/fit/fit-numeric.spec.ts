import { datasetSourceSchema, transformSchema } from '@slipway/contracts';
import { csvOf, tableFromCsv } from '../../testing/table-from-csv';
import type { NumericColumn } from '../table/table';
import { fitNumeric } from './fit-numeric';

const defaults = datasetSourceSchema.parse({ uri: 'x.csv', labelColumn: 'label' }).imputation;

async function numeric(cells: readonly (string | number)[]): Promise<NumericColumn> {
  const { table } = await tableFromCsv(csvOf({ x: cells, label: cells.map(() => 'a') }));
  return table.columns[0] as NumericColumn;
}
const all = (count: number) => Array.from({ length: count }, (_, row) => row);

describe('fitNumeric', () => {
  // 11 values 1…11 (deciles 2…10), one missing among 12 train rows (8.3% > 5%).
  const cells = [11, 10, 9, 8, 7, 'NA', 6, 5, 4, 3, 2, 1];

  it('standardises with the train mean and std, records count, range, deciles and the missing count', async () => {
    const fitted = fitNumeric(await numeric(cells), all(12), defaults);
    if (fitted.kind !== 'numeric' || fitted.feature.kind !== 'numeric') throw new Error('expected a numeric feature');
    expect(fitted.feature).toMatchObject({ mean: 6, statistics: { count: 11, min: 1, max: 11, mean: 6, missing: 1 } });
    expect(fitted.feature.scale).toBeCloseTo(Math.sqrt(10), 10);
    fitted.feature.statistics.quantiles.forEach((value, index) => expect(value).toBeCloseTo(index + 2, 10));
    expect(transformSchema.parse({ version: 2, features: [fitted.feature], label: { task: 'classification', name: 'l', classes: ['a', 'b'] } }).features[0]).toEqual(fitted.feature);
  });

  it('imputes the train median and adds an indicator when more than indicatorAbove of the train rows miss it', async () => {
    const skewed = [1, 1, 1, 2, 'NA', 100, 1, 2, 3, 1];
    const fitted = fitNumeric(await numeric(skewed), all(10), defaults);
    expect(fitted).toMatchObject({ feature: { impute: 1, missingIndicator: true }, action: 'standardised; missing → median 1, with an indicator' });
    const byMean = fitNumeric(await numeric(skewed), all(10), { numeric: 'mean', indicatorAbove: 0.5 });
    expect(byMean).toMatchObject({ feature: { impute: 112 / 9, missingIndicator: false }, action: 'standardised; missing → mean 12.44' });
  });

  it('learns nothing from rows outside the train split', async () => {
    const fitted = fitNumeric(await numeric(cells), [0, 1, 2, 3, 4], defaults);
    expect(fitted).toMatchObject({ feature: { statistics: { count: 5, min: 7, max: 11, missing: 0 }, impute: 9, missingIndicator: false } });
  });

  it('uses scale 1 for a constant column instead of dividing by zero, and drops one without a train value', async () => {
    expect(fitNumeric(await numeric([4, 4, 4, 5]), [0, 1, 2], defaults)).toMatchObject({ feature: { mean: 4, scale: 1, statistics: { std: 0 } } });
    expect(fitNumeric(await numeric(['NA', 'NA', 3, 4]), [0, 1], defaults)).toEqual({ kind: 'dropped', action: 'dropped: no value in the train split', warnings: [] });
  });
});
