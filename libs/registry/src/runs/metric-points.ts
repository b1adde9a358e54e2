import type { EpochMetrics, EvaluationMetrics, MetricPoint } from '@slipway/contracts';

/** An epoch as metric points at step = epoch; `prefix` keeps a grid's trainings apart (`train[2].loss`). */
export function epochMetricPoints(epoch: EpochMetrics, timestamp: string, prefix = ''): MetricPoint[] {
  const values: [string, number | undefined][] = [
    ['loss', epoch.loss],
    ['accuracy', epoch.accuracy],
    ['valLoss', epoch.valLoss],
    ['valAccuracy', epoch.valAccuracy],
  ];
  return values.flatMap(([key, value]) => (value === undefined ? [] : [{ key: `${prefix}${key}`, value, step: epoch.epoch, timestamp }]));
}

/** Test metrics as points at the step after the last epoch, so they sort after the training curve. */
export function evaluationMetricPoints(metrics: EvaluationMetrics, step: number, timestamp: string, prefix = ''): MetricPoint[] {
  return [
    { key: `${prefix}testAccuracy`, value: metrics.testAccuracy, step, timestamp },
    { key: `${prefix}testLoss`, value: metrics.testLoss, step, timestamp },
    { key: `${prefix}testRows`, value: metrics.testRows, step, timestamp },
  ];
}
