import { z } from 'zod';
import type { EvaluationMetrics, Task } from './training-result.schema';

/** The figures a model is judged by: classifiers' first, regressors' after `loss`. */
export const METRIC_NAMES = ['loss', 'accuracy', 'macroF1', 'balancedAccuracy', 'mse', 'rmse', 'mae', 'r2'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export const METRIC_SPLITS = ['validation', 'test'] as const;
export type MetricSplit = (typeof METRIC_SPLITS)[number];

/** The names pipelines written before validation metrics used; they name test metrics. */
const LEGACY_REFS: Readonly<Record<string, { split: MetricSplit; name: MetricName }>> = {
  testAccuracy: { split: 'test', name: 'accuracy' },
  testLoss: { split: 'test', name: 'loss' },
};

const REF = new RegExp(`^(?:(${METRIC_SPLITS.join('|')})\\.)?(${METRIC_NAMES.join('|')})$`);

export interface ParsedMetricRef {
  split: MetricSplit;
  name: MetricName;
}

/**
 * A metric of a trained model: `<split>.<name>` (`validation.macroF1`, `test.r2`), or a bare name, which means the
 * validation split — models are chosen and gated on validation figures, so the test split stays held out.
 */
export const metricRefSchema = z
  .string()
  .refine((ref) => parseMetricRef(ref) !== undefined, {
    message: `a metric: [validation.|test.]${METRIC_NAMES.join('|')} (a bare name means validation), or testAccuracy / testLoss`,
  });
export type MetricRef = z.infer<typeof metricRefSchema>;

export function parseMetricRef(ref: string): ParsedMetricRef | undefined {
  const legacy = Object.hasOwn(LEGACY_REFS, ref) ? LEGACY_REFS[ref] : undefined;
  if (legacy) return legacy;
  const match = REF.exec(ref);
  if (!match) return undefined;
  return { split: (match[1] as MetricSplit | undefined) ?? 'validation', name: match[2] as MetricName };
}

/** Whether a higher value of the metric is better. */
export function higherIsBetter(name: MetricName): boolean {
  return !['loss', 'mse', 'rmse', 'mae'].includes(name);
}

/** The metric a model of this task is chosen by when a pipeline names none. */
export function defaultSelectionMetric(task: Task): MetricRef {
  return task === 'classification' ? 'validation.accuracy' : 'validation.r2';
}

/** The value of the metric, or undefined when the model has no such figure (no validation split, another task). */
export function metricValue(metrics: EvaluationMetrics, ref: MetricRef): number | undefined {
  const parsed = parseMetricRef(ref);
  const split = parsed === undefined ? null : metrics[parsed.split];
  if (parsed === undefined || split === null) return undefined;
  const value = (split as Record<string, unknown>)[parsed.name];
  return typeof value === 'number' ? value : undefined;
}

/** The one figure that sums a model up: accuracy of a classifier, R² of a regressor, on validation when it has the split. */
export function headlineMetricOf(metrics: EvaluationMetrics): { split: MetricSplit; name: 'accuracy' | 'r2'; value: number } {
  const split: MetricSplit = metrics.validation === null ? 'test' : 'validation';
  const figures = metrics[split] ?? metrics.test;
  return figures.task === 'classification' ? { split, name: 'accuracy', value: figures.accuracy } : { split, name: 'r2', value: figures.r2 };
}
