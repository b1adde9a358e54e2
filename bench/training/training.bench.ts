// Training throughput per TensorFlow.js backend on the iris model.
// Run: npm run bench:training (or `SWC_NODE_PROJECT=bench/training/tsconfig.json node -r @swc-node/register bench/training/training.bench.ts`).
// Each run trains in its own worker thread, because a thread has exactly one active backend.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { arch, cpus, platform, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { datasetSourceSchema, networkSpecSchema, type TfBackend, type TrainedModel } from '@slipway/contracts';
import { prepareDataset, trainInWorkerThread } from '@slipway/ml';
import { FileArtifactStore } from '@slipway/storage';

const WORKSPACE = resolve(__dirname, '../..');
const RESULTS_FILE = join(WORKSPACE, 'bench/results/training.json');
const BACKENDS: readonly TfBackend[] = ['wasm', 'cpu'];
const RUNS_PER_BACKEND = 3;
const MODEL_SPEC = networkSpecSchema.parse({
  layers: [{ type: 'dense', units: 16, activation: 'relu' }],
  optimizer: 'adam',
  learningRate: 0.05,
  epochs: 60,
  batchSize: 16,
});

/** Throughput over the second half of the epochs, once the JIT has warmed up (every run starts a fresh thread). */
function steadySamplesPerSecond(run: TrainedModel, trainRows: number): number {
  const warm = run.history.slice(Math.floor(run.history.length / 2));
  const seconds = warm.reduce((sum, epoch) => sum + epoch.durationMs, 0) / 1000;
  return (trainRows * warm.length) / seconds;
}

function testAccuracy(run: TrainedModel): number {
  const { test } = run.metrics;
  if (test.task !== 'classification') throw new Error(`iris trained a ${test.task} model, expected a classifier`);
  return test.accuracy;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  const storeRoot = await mkdtemp(join(tmpdir(), 'slipway-bench-'));
  try {
    const store = new FileArtifactStore(storeRoot);
    const source = datasetSourceSchema.parse({ uri: 'iris.csv', labelColumn: 'species' });
    const dataset = await prepareDataset({ store, source, dataRoot: join(WORKSPACE, 'data') });

    const results = [];
    for (const backend of BACKENDS) {
      const runs: TrainedModel[] = [];
      for (let run = 0; run < RUNS_PER_BACKEND; run += 1) {
        const request = { storeLocation: storeRoot, dataset, modelSpec: MODEL_SPEC, backendPreference: backend };
        const trained = await trainInWorkerThread(request);
        if (trained.backend !== backend) throw new Error(`asked for the ${backend} backend, the worker ran on ${trained.backend}`);
        runs.push(trained);
      }
      results.push({
        backend,
        epochs: MODEL_SPEC.epochs,
        runs: runs.length,
        samplesPerSecond: Math.round(median(runs.map((run) => run.samplesPerSecond))),
        samplesPerSecondPerRun: runs.map((run) => Math.round(run.samplesPerSecond)),
        steadySamplesPerSecond: Math.round(median(runs.map((run) => steadySamplesPerSecond(run, dataset.rowCounts.train)))),
        trainingDurationMs: Math.round(median(runs.map((run) => run.trainingDurationMs))),
        testAccuracy: median(runs.map(testAccuracy)),
        testAccuracyPerRun: runs.map(testAccuracy),
      });
    }

    const report = {
      benchmark: 'training',
      generatedAt: new Date().toISOString(),
      environment: { node: process.version, platform: platform(), arch: arch(), cpu: cpus()[0]?.model, cores: cpus().length },
      dataset: { file: 'data/iris.csv', sourceDigest: dataset.sourceDigest, rows: dataset.rowCounts },
      modelSpec: MODEL_SPEC,
      note:
        'samplesPerSecond = train rows × epochs / training time (epoch loop only, cold thread); ' +
        'steadySamplesPerSecond = the same over the second half of the epochs; medians of the runs',
      results,
    };
    await mkdir(resolve(RESULTS_FILE, '..'), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);

    console.log(`iris, ${dataset.rowCounts.train} train rows, ${MODEL_SPEC.epochs} epochs, median of ${RUNS_PER_BACKEND} runs`);
    console.table(
      results.map((result) => ({
        backend: result.backend,
        'samples/s': result.samplesPerSecond,
        'steady samples/s': result.steadySamplesPerSecond,
        'training ms': result.trainingDurationMs,
        'test accuracy': result.testAccuracy.toFixed(3),
      })),
    );
    console.log(`written to ${relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    await rm(storeRoot, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
