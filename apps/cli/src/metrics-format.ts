import { headlineMetricOf, type ColumnReport, type EvaluationMetrics, type SplitMetrics } from '@slipway/contracts';

/** `acc 0.9300` or `R² 0.8600`: a split's headline figure, accuracy of a classifier, R² of a regressor. */
function splitHeadline(split: SplitMetrics): string {
  return split.task === 'classification' ? `acc ${split.accuracy.toFixed(4)}` : `R² ${split.r2.toFixed(4)}`;
}

/** The one figure a table column shows (headlineMetricOf's: on validation when there is one). */
export function headlineMetric(metrics: EvaluationMetrics): string {
  const { split } = headlineMetricOf(metrics);
  return splitHeadline(metrics[split] ?? metrics.test);
}

/** `val acc 0.9300, test acc 0.9000`: both splits' headline, for a step row. */
export function splitHeadlines(metrics: EvaluationMetrics): string {
  const validation = metrics.validation === null ? [] : [`val ${splitHeadline(metrics.validation)}`];
  return [...validation, `test ${splitHeadline(metrics.test)}`].join(', ');
}

/** A split's figures in one line: `accuracy 0.9500, macro-F1 0.9412, balanced accuracy 0.9400, loss 0.1320 (23 rows)`. */
export function formatSplitMetrics(split: SplitMetrics): string {
  const figures =
    split.task === 'classification'
      ? [
          `accuracy ${split.accuracy.toFixed(4)}`,
          ...(split.macroF1 === undefined ? [] : [`macro-F1 ${split.macroF1.toFixed(4)}`]),
          ...(split.balancedAccuracy === undefined ? [] : [`balanced accuracy ${split.balancedAccuracy.toFixed(4)}`]),
        ]
      : [`R² ${split.r2.toFixed(4)}`, `RMSE ${formatValue(split.rmse)}`, `MAE ${formatValue(split.mae)}`];
  return `${[...figures, `loss ${split.loss.toFixed(4)}`].join(', ')} (${split.rows} rows)`;
}

/** Every figure of a model: both splits, then for a classifier each class and the confusion matrix of the test split. */
export function formatMetricsDetails(metrics: EvaluationMetrics, indent = '  '): string[] {
  const lines = [
    ...(metrics.validation === null ? [] : [`${indent}validation: ${formatSplitMetrics(metrics.validation)}`]),
    `${indent}test:       ${formatSplitMetrics(metrics.test)}`,
  ];
  const test = metrics.test;
  if (test.task !== 'classification' || test.perClass === undefined) return lines;
  const width = Math.max(5, ...test.perClass.map((c) => c.class.length));
  lines.push(`${indent}  ${'class'.padEnd(width)}  precision  recall  F1      support`);
  for (const c of test.perClass) {
    lines.push(`${indent}  ${c.class.padEnd(width)}  ${c.precision.toFixed(4).padEnd(9)}  ${c.recall.toFixed(4)}  ${c.f1.toFixed(4)}  ${c.support}`);
  }
  if (test.confusionMatrix !== undefined) {
    const classes = test.perClass.map((c) => c.class);
    const cell = Math.max(4, ...classes.map((name) => name.length), ...test.confusionMatrix.flat().map((n) => String(n).length));
    lines.push(`${indent}  confusion (rows actual, columns predicted):`);
    lines.push(`${indent}    ${''.padEnd(width)}  ${classes.map((name) => name.padStart(cell)).join(' ')}`);
    test.confusionMatrix.forEach((row, i) => lines.push(`${indent}    ${(classes[i] ?? '').padEnd(width)}  ${row.map((n) => String(n).padStart(cell)).join(' ')}`));
  }
  return lines;
}

/** One line per column: `  petal_length  numeric      2.0% missing  42 distinct  standardised; …` plus its warnings. */
export function formatColumnReport(columns: readonly ColumnReport[], indent = '  '): string[] {
  const nameWidth = Math.max(...columns.map((c) => c.name.length));
  const kindWidth = Math.max(...columns.map((c) => c.kind.length));
  return columns.flatMap((c) => [
    `${indent}${c.name.padEnd(nameWidth)}  ${c.kind.padEnd(kindWidth)}  ${`${(c.missingShare * 100).toFixed(1)}% missing`.padStart(13)}  ${`${c.distinct} distinct`.padStart(12)}  ${c.action}${c.source === 'pipeline' ? ' (as the pipeline says)' : ''}`,
    ...c.warnings.map((warning) => `${indent}  ! ${warning}`),
  ]);
}

function formatValue(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(4);
}
