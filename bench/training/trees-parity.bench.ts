// Tree ensembles trained in JavaScript against scikit-learn's RandomForest (300 trees) on exactly the same encoded
// splits as tabular.bench.ts: Slipway's own forest (libs/ml/src/trees) and the npm libraries that could back a tree-ensemble
// model kind (issue 12's "within 0.01").
// Run: bash tools/python/setup-venv.sh bench && SWC_NODE_PROJECT=bench/training/tsconfig.json node -r @swc-node/register bench/training/trees-parity.bench.ts
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetSourceSchema, type PreparedDatasetRef } from '@slipway/contracts';
import { getPreparedDataset, predictForest, prepareDataset, trainRandomForest } from '@slipway/ml';
import { FileArtifactStore } from '@slipway/storage';
import { RandomForestClassifier, RandomForestRegression } from 'ml-random-forest';
import xgboostReady from 'ml-xgboost';
import YDFTraining from 'ydf-training';
import { exportSplits, figure, mean, PUBLIC_TABLES, RESULTS, sklearnOn, SPLIT_SEEDS, WORKSPACE } from './public-tables';

type Prepared = Awaited<ReturnType<typeof getPreparedDataset>>;

/** What a candidate answers for the test rows: class indices (classification) or values (regression). */
interface Fit {
  predictions: number[];
  fitSeconds: number;
}

interface Candidate {
  name: string;
  library: string;
  /** Why a table is skipped, or undefined to run it. */
  skip?: (prepared: Prepared) => string | undefined;
  fit: (prepared: Prepared) => Promise<Fit>;
}

const TREES = 300;
/** ml-cart re-partitions every row for every candidate threshold (quadratic per node): beyond this it takes minutes. */
const ML_RF_MAX_TRAIN_ROWS = 600;

const rowsOf = (features: Float32Array, rows: number, width: number) => Array.from({ length: rows }, (_, row) => Array.from(features.subarray(row * width, (row + 1) * width)));
const columnsOf = (features: Float32Array, rows: number, width: number) => {
  const columns: Record<string, number[]> = {};
  for (let column = 0; column < width; column += 1) columns[`f${column}`] = Array.from({ length: rows }, (_, row) => features[row * width + column] ?? Number.NaN);
  return columns;
};
const argmax = (values: ArrayLike<number>, from = 0, count = values.length) => {
  let best = 0;
  for (let index = 1; index < count; index += 1) if ((values[from + index] ?? -Infinity) > (values[from + best] ?? -Infinity)) best = index;
  return best;
};
/** Labels are class indices; a rare class may be absent from the train split, so count over every split. */
const classCount = (prepared: Prepared) => 1 + Math.max(...[prepared.train, prepared.validation, prepared.test].map((split) => Math.max(...split.labels)));
const timed = <T>(work: () => T): [T, number] => {
  const started = performance.now();
  const value = work();
  return [value, (performance.now() - started) / 1000];
};

async function ydfCandidate(kind: 'RandomForestLearner' | 'GradientBoostedTreesLearner', name: string): Promise<Candidate> {
  const ydf = await YDFTraining({ print: () => undefined, printErr: () => undefined });
  return {
    name,
    library: 'ydf-training 0.0.1 (wasm)',
    fit: async ({ task, width, train, test }) => {
      const classification = task === 'classification';
      const data = { ...columnsOf(train.features, train.rows, width), label: classification ? Array.from(train.labels, String) : Array.from(train.labels) };
      const [model, fitSeconds] = timed(() => new ydf[kind]('label', classification ? 'CLASSIFICATION' : 'REGRESSION').train(data));
      try {
        const output = model.predict(columnsOf(test.features, test.rows, width));
        if (!classification) return { predictions: output, fitSeconds };
        const classes = model.getLabelClasses().map(Number);
        const binary = output.length === test.rows;
        const predictions = Array.from({ length: test.rows }, (_, row) =>
          binary ? (classes[(output[row] ?? 0) >= 0.5 ? 1 : 0] ?? -1) : (classes[argmax(output, row * classes.length, classes.length)] ?? -1),
        );
        return { predictions, fitSeconds };
      } finally {
        model.unload();
      }
    },
  };
}

async function xgboostCandidate(): Promise<Candidate> {
  const XGBoost = await xgboostReady;
  return {
    name: `XGBoost, ${TREES} rounds, depth 6, eta 0.1`,
    library: 'ml-xgboost 1.1.2 (wasm, 2018)',
    fit: async (prepared) => {
      const { task, width, train, test } = prepared;
      const classification = task === 'classification';
      const classes = classification ? classCount(prepared) : 1;
      const booster = new XGBoost({
        booster: 'gbtree',
        objective: classification ? 'multi:softprob' : 'reg:linear',
        ...(classification && { num_class: classes }),
        max_depth: 6,
        eta: 0.1,
        subsample: 1,
        colsample_bytree: 1,
        min_child_weight: 1,
        silent: 1,
        iterations: TREES,
      });
      try {
        const [, fitSeconds] = timed(() => booster.train(rowsOf(train.features, train.rows, width), Array.from(train.labels)));
        const output = booster.predict(rowsOf(test.features, test.rows, width));
        const predictions = output.map((value) => (typeof value === 'number' ? value : argmax(value)));
        return { predictions, fitSeconds };
      } finally {
        booster.free();
      }
    },
  };
}

function mlRandomForestCandidate(): Candidate {
  return {
    name: `RandomForest, ${TREES} trees, all features per tree`,
    library: 'ml-random-forest 2.1.0 (pure JS, ml-cart)',
    skip: ({ train }) => (train.rows > ML_RF_MAX_TRAIN_ROWS ? `${train.rows} train rows > ${ML_RF_MAX_TRAIN_ROWS}` : undefined),
    fit: async ({ task, width, train, test }) => {
      // maxFeatures is a random subspace drawn once per tree, not per split as scikit-learn's max_features; at
      // sqrt(width) it lost 15 points on seattle-weather, so every tree sees every feature (bagged trees).
      const options = { nEstimators: TREES, maxFeatures: 1.0, replacement: true, useSampleBagging: true, noOOB: true, seed: 3 };
      const forest = task === 'classification' ? new RandomForestClassifier(options) : new RandomForestRegression(options);
      const [, fitSeconds] = timed(() => forest.train(rowsOf(train.features, train.rows, width), Array.from(train.labels)));
      return { predictions: forest.predict(rowsOf(test.features, test.rows, width)), fitSeconds };
    },
  };
}

function slipwayForestCandidate(): Candidate {
  return {
    name: `slipway RandomForest, ${TREES} trees, defaults`,
    library: 'libs/ml/src/trees (TypeScript)',
    fit: async (prepared) => {
      const { task, width, train, test } = prepared;
      const classification = task === 'classification';
      const set = { features: train.features, rows: train.rows, width, labels: train.labels, task, ...(classification && { classCount: classCount(prepared) }) };
      const [forest, fitSeconds] = timed(() => trainRandomForest(set, { trees: TREES, seed: 0 }));
      const output = predictForest(forest, test.features, test.rows);
      const predictions = classification ? Array.from({ length: test.rows }, (_, row) => argmax(output, row * forest.outputs, forest.outputs)) : Array.from(output);
      return { predictions, fitSeconds };
    },
  };
}

function score(task: Prepared['task'], truth: ArrayLike<number>, predicted: number[]): number {
  const values = Array.from(truth);
  if (task === 'classification') return values.filter((value, index) => value === predicted[index]).length / values.length;
  const average = mean(values);
  const residual = values.reduce((sum, value, index) => sum + (value - (predicted[index] ?? Number.NaN)) ** 2, 0);
  const total = values.reduce((sum, value) => sum + (value - average) ** 2, 0);
  return 1 - residual / total;
}

interface CandidateRun {
  seed: number;
  score: number | null;
  fitSeconds: number | null;
  skipped?: string;
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'slipway-bench-trees-'));
  const loadAtStart = loadavg()[0] ?? Number.NaN;
  const candidates = [slipwayForestCandidate(), await ydfCandidate('RandomForestLearner', `RandomForest, defaults (${TREES} trees)`), await ydfCandidate('GradientBoostedTreesLearner', 'GradientBoostedTrees, defaults'), await xgboostCandidate(), mlRandomForestCandidate()];
  try {
    const store = new FileArtifactStore(join(root, 'artifacts'));
    const tables = [];
    for (const table of PUBLIC_TABLES) {
      const folder = join(root, table.name.replace(/\W+/g, '-'));
      const forest: { score: number; fitSeconds: number }[] = [];
      const runs = new Map<string, CandidateRun[]>(candidates.map((candidate) => [candidate.name, []]));
      let first: PreparedDatasetRef | undefined;
      for (const seed of SPLIT_SEEDS) {
        const dataset = await prepareDataset({ store, source: datasetSourceSchema.parse({ ...table.source, seed }), dataRoot: join(WORKSPACE, 'data') });
        first ??= dataset;
        const prepared = await getPreparedDataset(store, dataset.dataset.digest);
        await exportSplits(store, dataset, folder);
        const sklearn = await sklearnOn(folder);
        forest.push({ score: (prepared.task === 'classification' ? sklearn.randomForest['accuracy'] : sklearn.randomForest['r2']) ?? Number.NaN, fitSeconds: sklearn.randomForest.fitSeconds });
        for (const candidate of candidates) {
          const skipped = candidate.skip?.(prepared);
          const run: CandidateRun = skipped ? { seed, score: null, fitSeconds: null, skipped } : { seed, ...(await candidate.fit(prepared).then((fit) => ({ score: score(prepared.task, prepared.test.labels, fit.predictions), fitSeconds: fit.fitSeconds }))) };
          runs.get(candidate.name)?.push(run);
          console.error(`${table.name} seed ${seed} ${candidate.name}: ${run.skipped ?? `${run.score?.toFixed(4)} in ${run.fitSeconds?.toFixed(2)} s`}`);
        }
      }
      if (!first) throw new Error('no split was compared');
      const forestScores = forest.map((split) => split.score);
      tables.push({
        table: table.name,
        task: first.task,
        metric: first.task === 'classification' ? 'test.accuracy' : 'test.r2',
        rows: first.rowCounts,
        randomForest: { figure: figure(forestScores), fitSeconds: mean(forest.map((split) => split.fitSeconds)), splits: forest },
        candidates: candidates.map((candidate) => {
          const done = (runs.get(candidate.name) ?? []).filter((run) => run.score !== null);
          const scores = done.map((run) => run.score ?? Number.NaN);
          const gaps = done.map((run) => (forest[SPLIT_SEEDS.indexOf(run.seed)]?.score ?? Number.NaN) - (run.score ?? Number.NaN));
          return {
            name: candidate.name,
            library: candidate.library,
            splits: runs.get(candidate.name) ?? [],
            figure: done.length ? figure(scores) : null,
            gap: done.length ? figure(gaps) : null,
            within001: done.length === SPLIT_SEEDS.length ? mean(gaps) <= 0.01 : null,
            fitSeconds: done.length ? mean(done.map((run) => run.fitSeconds ?? Number.NaN)) : null,
          };
        }),
      });
    }
    const loadAtEnd = loadavg()[0] ?? Number.NaN;
    const report = { generatedAt: new Date().toISOString(), cpus: cpus().length, loadAtStart, loadAtEnd, splitSeeds: SPLIT_SEEDS, tables };
    await writeFile(join(RESULTS, 'trees-parity.json'), `${JSON.stringify(report, null, 2)}\n`);
    const lines = [
      `# Tree ensembles in JavaScript against scikit-learn's RandomForest (${report.generatedAt}, ${report.cpus} cores, load ${loadAtStart.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end)`,
      '',
      '| data set | metric | candidate (library) | score | RandomForest (sklearn, 300 trees) | gap (RF − candidate) | fit s (candidate) | fit s (sklearn RF) |',
      '|---|---|---|---|---|---|---|---|',
      ...tables.flatMap((t) =>
        t.candidates.map(
          (c) =>
            `| ${t.table} | ${t.metric} | ${c.name} (${c.library}) | ${c.figure ?? `skipped: ${c.splits[0]?.skipped ?? ''}`} | ${t.randomForest.figure} | ${c.gap ?? '–'}${c.within001 ? ' ✓' : ''} | ${c.fitSeconds?.toFixed(2) ?? '–'} | ${t.randomForest.fitSeconds.toFixed(2)} |`,
        ),
      ),
      '',
      `Figures: mean ± standard deviation over ${SPLIT_SEEDS.length} random splits (dataset seeds ${SPLIT_SEEDS.join(', ')}), every candidate and scikit-learn on exactly the same encoded train split, scored on the same test split; ✓: the mean gap is at most 0.01.`,
      'fit s: mean seconds to train on one split, one thread each (scikit-learn n_jobs=1; the wasm builds are single-threaded).',
      Math.max(loadAtStart, loadAtEnd) > report.cpus
        ? `The machine was busy (load above its ${report.cpus} cores, shared with other work): the times are indicative, compare them within a row, not across runs.`
        : 'The machine was quiet (load at most its core count).',
      'What the figures mean, and the library decision: trees-parity-decision.md beside this file.',
    ];
    await writeFile(join(RESULTS, 'trees-parity.md'), `${lines.join('\n')}\n`);
    console.log(lines.join('\n'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
