import { METRIC_SPLITS, type EpochMetrics, type EvaluationMetrics, type MetricPoint } from '@slipway/contracts';

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

/**
 * A trained model's figures as points at the step after the last epoch (so they sort after the training curve),
 * keyed `<split>.<figure>`: `validation.macroF1`, `test.r2`, `test.rows`. Per-class figures stay in the step's record.
 */
export function evaluationMetricPoints(metrics: EvaluationMetrics, step: number, timestamp: string, prefix = ''): MetricPoint[] {
  return METRIC_SPLITS.flatMap((split) => {
    const figures = metrics[split];
    if (figures === null) return [];
    return Object.entries(figures).flatMap(([name, value]) => (typeof value === 'number' ? [{ key: `${prefix}${split}.${name}`, value, step, timestamp }] : []));
  });
}
