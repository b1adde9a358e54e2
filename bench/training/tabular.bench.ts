// Slipway's trainer against scikit-learn on public tabular data sets shipped by packages (data/README.md): the best
// of a few declarative models (chosen on validation, as a pipeline's evaluate step does) against a RandomForest on
// exactly the same prepared split, and training speed against an MLP of the same architecture, data and epochs.
// Run: npm run bench:training (after `tools/python/setup-venv.sh bench`).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetSourceSchema, forestSpecSchema, isForestSpec, metricValue, networkSpecSchema, type ModelSpec, type PreparedDatasetRef, type TrainedModel } from '@slipway/contracts';
import { prepareDataset, trainInWorkerThread } from '@slipway/ml';
import { FileArtifactStore } from '@slipway/storage';
import { exportSplits, figure, mean, median, PUBLIC_TABLES, type PublicTable, RESULTS, sklearnOn, type SklearnAnswer, SPLIT_SEEDS, WORKSPACE } from './public-tables';

/** The declarative models tried on every data set: three networks (early stopping keeps each one's best epoch) and a random forest. */
const CANDIDATES: readonly ModelSpec[] = [
  ...[
    { layers: [{ type: 'dense', units: 64, activation: 'relu' }, { type: 'dense', units: 32, activation: 'relu' }], learningRate: 0.003, epochs: 300, batchSize: 32 },
    { layers: [{ type: 'dense', units: 64, activation: 'relu' }, { type: 'dropout', rate: 0.2 }, { type: 'dense', units: 32, activation: 'relu' }], learningRate: 0.01, epochs: 300, batchSize: 32 },
    { layers: [{ type: 'dense', units: 128, activation: 'relu' }], learningRate: 0.01, epochs: 300, batchSize: 16 },
  ].map((spec) => networkSpecSchema.parse({ ...spec, earlyStopping: { monitor: 'valLoss', patience: 25 } })),
  forestSpecSchema.parse({ kind: 'randomForest', trees: 300 }),
];

/** The speed comparison trains both sides for exactly these epochs, no early stop, on the same architecture. */
const SPEED_SPEC = networkSpecSchema.parse({ layers: [{ type: 'dense', units: 64, activation: 'relu' }, { type: 'dense', units: 32, activation: 'relu' }], learningRate: 0.003, epochs: 60, batchSize: 32 });
const SPEED_ROUNDS = 3;

/** The MLP is always asked for here: the splits are exported with SPEED_SPEC. */
function mlpOf(answer: SklearnAnswer): NonNullable<SklearnAnswer['mlp']> {
  if (!answer.mlp) throw new Error('sklearn_baselines.py answered without an MLP, though the splits were exported with one');
  return answer.mlp;
}

interface SplitResult {
  seed: number;
  slipway: number;
  slipwayMacroF1: number | null;
  bestCandidate: number;
  earlyStopped: TrainedModel['earlyStopped'] | null;
  randomForest: number;
  randomForestMacroF1: number | null;
  sklearnMlp: number;
}

/** One split: Slipway's candidates, the best on validation scored on test, and scikit-learn on the same encoded rows. */
async function compareOnSplit(store: FileArtifactStore, entry: PublicTable, seed: number, folder: string) {
  const source = datasetSourceSchema.parse({ ...entry.source, seed });
  const dataset = await prepareDataset({ store, source, dataRoot: join(WORKSPACE, 'data') });
  const classification = dataset.task === 'classification';
  const [selectBy, headline] = classification ? ['validation.accuracy', 'test.accuracy'] : ['validation.r2', 'test.r2'];
  const trained: TrainedModel[] = [];
  for (const modelSpec of CANDIDATES) trained.push(await trainInWorkerThread({ storeLocation: store.location, dataset, modelSpec, backendPreference: 'wasm' }));
  const best = trained.reduce((a, b) => ((metricValue(b.metrics, selectBy) ?? -Infinity) > (metricValue(a.metrics, selectBy) ?? -Infinity) ? b : a));
  await exportSplits(store, dataset, folder, SPEED_SPEC);
  const sklearn = await sklearnOn(folder);
  const result: SplitResult = {
    seed,
    slipway: metricValue(best.metrics, headline) ?? Number.NaN,
    slipwayMacroF1: metricValue(best.metrics, 'test.macroF1') ?? null,
    bestCandidate: trained.indexOf(best),
    earlyStopped: best.earlyStopped ?? null,
    randomForest: (classification ? sklearn.randomForest['accuracy'] : sklearn.randomForest['r2']) ?? Number.NaN,
    randomForestMacroF1: sklearn.randomForest['macroF1'] ?? null,
    sklearnMlp: (classification ? mlpOf(sklearn)['accuracy'] : mlpOf(sklearn)['r2']) ?? Number.NaN,
  };
  return { dataset, headline, result };
}

/** How often validation picked each kind of candidate over the splits, e.g. "forest 4, network 1". */
function pickedKinds(splits: readonly SplitResult[]): string {
  const counts = new Map<string, number>();
  for (const { bestCandidate } of splits) {
    const kind = isForestSpec(CANDIDATES[bestCandidate] as ModelSpec) ? 'forest' : 'network';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([kind, count]) => `${kind} ${count}`).join(', ');
}

/** Training speed on one prepared split; Slipway and scikit-learn take turns, so a busy moment falls on both. */
async function compareSpeed(store: FileArtifactStore, dataset: PreparedDatasetRef, folder: string) {
  const slipway: number[] = [];
  const sklearn: number[] = [];
  for (let round = 0; round < SPEED_ROUNDS; round += 1) {
    slipway.push((await trainInWorkerThread({ storeLocation: store.location, dataset, modelSpec: SPEED_SPEC, backendPreference: 'wasm' })).samplesPerSecond);
    sklearn.push(mlpOf(await sklearnOn(folder)).samplesPerSecond);
  }
  return { slipwayWasm: Math.round(median(slipway)), sklearnMlp: Math.round(median(sklearn)), ratio: median(slipway) / median(sklearn) };
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'slipway-bench-tabular-'));
  const load = loadavg()[0];
  try {
    const store = new FileArtifactStore(join(root, 'artifacts'));
    const rows = [];
    for (const entry of PUBLIC_TABLES) {
      const folder = join(root, entry.name.replace(/\W+/g, '-'));
      const splits: SplitResult[] = [];
      let first: { dataset: PreparedDatasetRef; headline: string } | undefined;
      for (const seed of SPLIT_SEEDS) {
        const { dataset, headline, result } = await compareOnSplit(store, entry, seed, folder);
        first ??= { dataset, headline };
        splits.push(result);
      }
      if (!first) throw new Error('no split was compared');
      await exportSplits(store, first.dataset, folder, SPEED_SPEC);
      const gaps = splits.map((split) => split.randomForest - split.slipway);
      rows.push({
        dataset: entry.name,
        package: entry.package,
        license: entry.license,
        task: first.dataset.task,
        rows: first.dataset.rowCounts,
        metric: first.headline,
        slipway: figure(splits.map((split) => split.slipway)),
        randomForest: figure(splits.map((split) => split.randomForest)),
        sklearnMlp: figure(splits.map((split) => split.sklearnMlp)),
        gap: figure(gaps),
        within001: mean(gaps) <= 0.01,
        picked: pickedKinds(splits),
        splits,
        samplesPerSecond: await compareSpeed(store, first.dataset, folder),
      });
    }
    const report = { generatedAt: new Date().toISOString(), cpus: cpus().length, loadAtStart: load, splitSeeds: SPLIT_SEEDS, speedSpec: SPEED_SPEC, candidates: CANDIDATES, results: rows };
    await writeFile(join(RESULTS, 'tabular.json'), `${JSON.stringify(report, null, 2)}\n`);
    const table = [
      `# Tabular bench (${report.generatedAt}, ${report.cpus} cores, load ${load.toFixed(2)} at start)`,
      '',
      '| data set (package, license) | task | metric | Slipway best | picked | RandomForest | gap | sklearn MLP 64-32 | samples/s Slipway (wasm) | samples/s sklearn MLP | ratio |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.dataset} (${r.package}, ${r.license}) | ${r.task} | ${r.metric} | ${r.slipway} | ${r.picked} | ${r.randomForest} | ${r.gap}${r.within001 ? ' ✓' : ''} | ${r.sklearnMlp} | ${r.samplesPerSecond.slipwayWasm} | ${r.samplesPerSecond.sklearnMlp} | ${r.samplesPerSecond.ratio.toFixed(2)}× |`,
      ),
      '',
      `Figures: mean ± standard deviation over ${SPLIT_SEEDS.length} random splits (dataset seeds ${SPLIT_SEEDS.join(', ')}); ✓: the mean gap is at most 0.01.`,
      `Slipway best: the candidate with the best validation figure (of ${CANDIDATES.length}: three networks with early stopping on validation loss, and a 300-tree random forest), scored on test; "picked" counts how often each kind won.`,
      'RandomForest: 300 trees on exactly the same encoded train split, scored on the same test split.',
      `sklearn MLP: scikit-learn's MLP of the speed comparison's architecture (${SPEED_SPEC.epochs} epochs, no early stop) on the same split, for context.`,
      `Speed: ${SPEED_SPEC.epochs} epochs of the same 64-32 network, batch ${SPEED_SPEC.batchSize}, on the first split, medians of ${SPEED_ROUNDS} interleaved rounds.`,
    ].join('\n');
    await writeFile(join(RESULTS, 'tabular.md'), `${table}\n`);
    console.log(table);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
