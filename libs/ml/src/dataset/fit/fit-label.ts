import type { LabelTransform } from '@slipway/contracts';
import { DatasetError } from '../../errors/dataset.error';
import type { LabelColumn } from '../columns/label-column';
import { formatCount, formatShare, formatValue } from '../report/format';
import { numericStatistics, scaleOf } from './numeric-statistics';

/** A class this rare among the labelled rows is worth a warning: models tend never to predict it. */
export const RARE_CLASS_SHARE = 0.05;

export interface FittedLabel {
  transform: LabelTransform;
  /** Class indices (classification) or standardised values (regression) of the given rows. */
  encode(rows: readonly number[]): Int32Array | Float32Array;
  action: string;
  warnings: string[];
}

/** Sorted classes, or the standardisation of a regression label, from the train rows. */
export function fitLabel(label: LabelColumn, trainRows: readonly number[]): FittedLabel {
  const dropped = label.missing > 0 ? `; ${formatCount(label.missing)} rows without a label dropped` : '';
  if (label.task === 'regression') {
    const statistics = numericStatistics(Float64Array.from(trainRows, label.valueOf).sort(), 0);
    const scale = scaleOf(statistics.std);
    return {
      transform: { task: 'regression', name: label.name, mean: statistics.mean, scale, statistics },
      encode: (rows) => Float32Array.from(rows, (row) => (label.valueOf(row) - statistics.mean) / scale),
      action: `regression: standardised (mean ${formatValue(statistics.mean)}, scale ${formatValue(scale)}), random split${dropped}`,
      warnings: [],
    };
  }
  const counts = new Map<string, number>();
  for (const row of label.rows) counts.set(label.classOf(row), (counts.get(label.classOf(row)) ?? 0) + 1);
  const classes = [...new Set(trainRows.map(label.classOf))].sort();
  const indexOf = new Map(classes.map((name, index) => [name, index]));
  const classIndex = (row: number): number => {
    const index = indexOf.get(label.classOf(row));
    // Stratification keeps every class in train, so this only guards against a split that did not.
    if (index === undefined) throw new DatasetError(`label ${JSON.stringify(label.classOf(row))} of data row ${row + 1} is not among the classes of the train split`);
    return index;
  };
  const rare = classes.filter((name) => (counts.get(name) ?? 0) < RARE_CLASS_SHARE * label.rows.length);
  return {
    transform: { task: 'classification', name: label.name, classes },
    encode: (rows) => Int32Array.from(rows, classIndex),
    action: `classification: ${classes.length} classes, stratified split${dropped}`,
    warnings: rare.map((name) => {
      const count = counts.get(name) ?? 0;
      return `imbalanced: class ${JSON.stringify(name)} is ${formatShare(count / label.rows.length)} of the labelled rows (${formatCount(count)})`;
    }),
  };
}
