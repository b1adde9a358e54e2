import type { DatasetSource } from '@slipway/contracts';
import { formatValue } from '../report/format';
import { presentValues } from '../table/present-values';
import type { NumericColumn } from '../table/table';
import { droppedColumn, type FittedColumn } from './fitted-column';
import { numericStatistics, quantile, scaleOf } from './numeric-statistics';

/**
 * Standardisation and imputation from the train rows: a missing value becomes the median (or mean) of the values
 * there, and gets a 0/1 indicator column too when more than `imputation.indicatorAbove` of those rows miss it.
 */
export function fitNumeric(column: NumericColumn, trainRows: readonly number[], imputation: DatasetSource['imputation']): FittedColumn {
  const sorted = presentValues(column.values, trainRows).sort();
  if (sorted.length === 0) return droppedColumn('no value in the train split');
  const missing = trainRows.length - sorted.length;
  const statistics = numericStatistics(sorted, missing);
  const impute = imputation.numeric === 'median' ? quantile(sorted, 0.5) : statistics.mean;
  const missingIndicator = missing / trainRows.length > imputation.indicatorAbove;
  return {
    kind: 'numeric',
    feature: { name: column.name, kind: 'numeric', mean: statistics.mean, scale: scaleOf(statistics.std), impute, missingIndicator, statistics },
    action: `standardised; missing → ${imputation.numeric} ${formatValue(impute)}${missingIndicator ? ', with an indicator' : ''}`,
    warnings: [],
  };
}
