import type { SplitMetrics } from '@slipway/contracts';
import type { ClassificationMetrics, RegressionMetrics } from '../training/model-metrics';

/** The split's metrics as a classifier's, or a thrown error naming what they were instead. */
export function classificationOf(metrics: SplitMetrics | null): ClassificationMetrics {
  if (metrics?.task !== 'classification') throw new Error(`expected classification metrics, got ${JSON.stringify(metrics)}`);
  return metrics;
}

/** The split's metrics as a regressor's, or a thrown error naming what they were instead. */
export function regressionOf(metrics: SplitMetrics | null): RegressionMetrics {
  if (metrics?.task !== 'regression') throw new Error(`expected regression metrics, got ${JSON.stringify(metrics)}`);
  return metrics;
}
