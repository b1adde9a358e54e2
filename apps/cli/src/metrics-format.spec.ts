import type { ColumnReport, EvaluationMetrics } from '@slipway/contracts';
import { formatColumnReport, formatMetricsDetails, headlineMetric, splitHeadlines } from './metrics-format';

const classifier: EvaluationMetrics = {
  validation: { task: 'classification', rows: 20, loss: 0.4, accuracy: 0.85, macroF1: 0.61, balancedAccuracy: 0.6 },
  test: {
    task: 'classification',
    rows: 10,
    loss: 0.5,
    accuracy: 0.8,
    macroF1: 0.59,
    balancedAccuracy: 0.58,
    perClass: [
      { class: 'sun', precision: 0.78, recall: 1, f1: 0.875, support: 7 },
      { class: 'snow', precision: 0, recall: 0, f1: 0, support: 3 },
    ],
    confusionMatrix: [
      [7, 0],
      [2, 1],
    ],
  },
};

const regressor: EvaluationMetrics = {
  validation: { task: 'regression', rows: 40, loss: 0.2, mse: 9.61, rmse: 3.1, mae: 2.4, r2: 0.82 },
  test: { task: 'regression', rows: 40, loss: 0.25, mse: 10.89, rmse: 3.3, mae: 2.5, r2: 0.79 },
};

describe('metrics in the CLI', () => {
  it('heads a model with its validation accuracy or R², and names both splits in a step row', () => {
    expect(headlineMetric(classifier)).toBe('acc 0.8500');
    expect(headlineMetric(regressor)).toBe('R² 0.8200');
    expect(splitHeadlines(regressor)).toBe('val R² 0.8200, test R² 0.7900');
    expect(splitHeadlines({ validation: null, test: classifier.test })).toBe('test acc 0.8000');
  });

  it('shows every class of a classifier, the rare ones its headline hides, and the confusion matrix', () => {
    const lines = formatMetricsDetails(classifier);
    expect(lines[0]).toBe('  validation: accuracy 0.8500, macro-F1 0.6100, balanced accuracy 0.6000, loss 0.4000 (20 rows)');
    expect(lines.find((line) => line.trim().startsWith('snow'))).toMatch(/^ {4}snow +0\.0000 +0\.0000 +0\.0000 +3$/);
    const matrix = lines.slice(lines.findIndex((line) => line.includes('confusion')) + 2);
    expect(matrix.map((line) => line.trim().split(/\s+/))).toEqual([
      ['sun', '7', '0'],
      ['snow', '2', '1'],
    ]);
  });

  it('gives a regressor its R², RMSE and MAE', () => {
    expect(formatMetricsDetails(regressor)[1]).toBe('  test:       R² 0.7900, RMSE 3.300, MAE 2.500, loss 0.2500 (40 rows)');
  });

  it('reports each column with its missing share, distinct values, what was done and its warnings', () => {
    const columns: ColumnReport[] = [
      { name: 'bill_length_mm', kind: 'numeric', source: 'inferred', missing: 2, missingShare: 0.0058, distinct: 164, action: 'standardised; missing → median 44.45', warnings: [] },
      { name: 'Comments', kind: 'hashed', source: 'pipeline', missing: 290, missingShare: 0.84, distinct: 9, action: 'hashed into 32 buckets', warnings: ['84% of the values are missing'] },
    ];
    const lines = formatColumnReport(columns);
    expect(lines[0]).toMatch(/^ {2}bill_length_mm {2}numeric +0\.6% missing +164 distinct {2}standardised; missing → median 44\.45$/);
    expect(lines[1]).toMatch(/Comments .*84\.0% missing .*hashed into 32 buckets \(as the pipeline says\)$/);
    expect(lines[2]).toBe('    ! 84% of the values are missing');
  });
});
