import { createHash } from 'node:crypto';
import { MEDIA_TYPES, transformSchema, type LabelTransform, type PreparedDatasetRef } from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import { putPreparedDataset, type EncodedSplit } from '../dataset/prepared-dataset-store';

/** Rows of one split: encoded features, and class indices or label values (in the label's units). */
export interface SyntheticSplit {
  features: number[][];
  labels: number[];
}

export type SyntheticDataset = { train: SyntheticSplit; validation: SyntheticSplit; test: SyntheticSplit } & (
  | { task: 'classification'; classes: string[] }
  | { task: 'regression' }
);

/**
 * Stores hand-made splits as the prepare step would: a v2 transform whose features are numeric columns `x0`, `x1`, …
 * (already encoded), and a regression label standardised with the train split's mean and standard deviation.
 */
export async function putSyntheticDataset(store: ArtifactStore, dataset: SyntheticDataset): Promise<PreparedDatasetRef> {
  const width = dataset.train.features[0]?.length ?? 0;
  const label = labelFor(dataset);
  const features = Array.from({ length: width }, (_, index) => ({
    name: `x${index}`,
    kind: 'numeric' as const,
    mean: 0,
    scale: 1,
    statistics: { count: dataset.train.labels.length, min: 0, max: 0, mean: 0, std: 1, quantiles: [] },
  }));
  const transform = transformSchema.parse({ version: 2, features, label });
  const sourceDigest = `sha256:${createHash('sha256').update(JSON.stringify(dataset)).digest('hex')}`;
  const encode = ({ features: rows, labels }: SyntheticSplit): EncodedSplit => ({
    rows: rows.length,
    features: Float32Array.from(rows.flat()),
    labels: label.task === 'classification' ? Int32Array.from(labels) : Float32Array.from(labels, (value) => (value - label.mean) / label.scale),
  });
  const datasetRef = await putPreparedDataset(store, sourceDigest, {
    task: dataset.task,
    width,
    train: encode(dataset.train),
    validation: encode(dataset.validation),
    test: encode(dataset.test),
  });
  return {
    sourceDigest,
    dataset: datasetRef,
    transform: await store.putJson(transform, MEDIA_TYPES.transform),
    schema: { columns: [...features.map(({ name }) => ({ name, kind: 'numeric' as const })), { name: 'y', kind: 'label' }] },
    task: dataset.task,
    report: [],
    rowCounts: { train: dataset.train.labels.length, validation: dataset.validation.labels.length, test: dataset.test.labels.length },
  };
}

/** A standard normal draw (Box–Muller) from a uniform generator, e.g. a seeded one. */
export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Splits rows in order: the first `train` share, then `validation`, then the rest. */
export function splitInOrder(rows: SyntheticSplit, shares: { train: number; validation: number }): Record<'train' | 'validation' | 'test', SyntheticSplit> {
  const [trainEnd, validationEnd] = [shares.train, shares.train + shares.validation].map((share) => Math.round(rows.labels.length * share));
  const slice = (start: number, end: number): SyntheticSplit => ({ features: rows.features.slice(start, end), labels: rows.labels.slice(start, end) });
  return { train: slice(0, trainEnd), validation: slice(trainEnd, validationEnd), test: slice(validationEnd, rows.labels.length) };
}

function labelFor(dataset: SyntheticDataset): LabelTransform {
  if (dataset.task === 'classification') return { task: 'classification', name: 'y', classes: dataset.classes };
  const values = dataset.train.labels;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const std = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
  const statistics = { count: values.length, min: Math.min(...values), max: Math.max(...values), mean, std, quantiles: [], missing: 0 };
  return { task: 'regression', name: 'y', mean, scale: std > 0 ? std : 1, statistics };
}
