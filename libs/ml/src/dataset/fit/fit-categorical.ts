import type { DatasetSource } from '@slipway/contracts';
import { formatCount, formatShare } from '../report/format';
import type { TextColumn } from '../table/table';
import { droppedColumn, type FittedColumn } from './fitted-column';

type CardinalityOptions = Pick<DatasetSource, 'maxCategories' | 'maxCategoryShare' | 'highCardinality' | 'hashBuckets'>;

/**
 * One-hot vocabulary (sorted) and frequencies from the train rows, with a missing bucket when some of them miss the
 * value. A column with more distinct train values than `maxCategories`, or than `maxCategoryShare` of the train rows,
 * is hashed into `hashBuckets` columns or dropped, as `highCardinality` says, with a warning.
 */
export function fitCategorical(column: TextColumn, trainRows: readonly number[], options: CardinalityOptions): FittedColumn {
  const counts = new Int32Array(column.dictionary.length);
  let missing = 0;
  for (const row of trainRows) {
    const code = column.codes[row];
    if (code < 0) missing += 1;
    else counts[code] += 1;
  }
  const present = column.dictionary.filter((_, code) => counts[code] > 0);
  if (present.length === 0) return droppedColumn('no value in the train split');

  const distinct = present.length;
  const overShare = distinct > options.maxCategoryShare * trainRows.length;
  if (distinct > options.maxCategories || overShare) {
    const limit = distinct > options.maxCategories ? `maxCategories (${options.maxCategories})` : `maxCategoryShare (${formatShare(options.maxCategoryShare)} of its ${formatCount(trainRows.length)} rows)`;
    const warning = `high cardinality: ${formatCount(distinct)} distinct values in the train split, more than ${limit}`;
    if (options.highCardinality === 'drop') return droppedColumn(`high cardinality (${formatCount(distinct)} distinct values)`, [warning]);
    return {
      kind: 'hashed',
      feature: { name: column.name, kind: 'hashed', buckets: options.hashBuckets, statistics: { count: trainRows.length - missing, distinct, missing } },
      action: `hashed into ${options.hashBuckets} buckets (${formatCount(distinct)} distinct values, ${formatShare(distinct / trainRows.length)} of the train rows)`,
      warnings: [`${warning}; values that share a bucket look alike to the model`],
    };
  }

  const vocabulary = present.sort();
  const countOf = new Map(column.dictionary.map((value, code) => [value, counts[code]]));
  const missingBucket = missing > 0;
  return {
    kind: 'categorical',
    feature: {
      name: column.name,
      kind: 'categorical',
      vocabulary,
      missingBucket,
      // Built in vocabulary order so the stored JSON does not depend on row order.
      statistics: { count: trainRows.length - missing, frequencies: Object.fromEntries(vocabulary.map((value) => [value, countOf.get(value) ?? 0])), missing },
    },
    action: `one-hot, ${formatCount(vocabulary.length)} values${missingBucket ? ', plus a missing bucket' : ''}`,
    warnings: [],
  };
}
