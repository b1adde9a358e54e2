/**
 * Slipway against MLServer on the same fitted scikit-learn pipeline (StandardScaler + LogisticRegression on iris):
 * MLServer 1.7 serves model.joblib with mlserver-sklearn, Slipway serves the same pipeline exported with skl2onnx,
 * imported through the registry. One row per V2 JSON request at 1, 16 and 64 connections, in interleaved rounds.
 * Writes bench/results/mlserver.json and bench/results/mlserver.md.
 * Run: `npm run bench:serving` (after the serving and runtimes benches), or after
 * `npx nx run-many -t build -p model-registry data-prep trainer serving monitoring`:
 *   SWC_NODE_PROJECT=bench/serving/tsconfig.json node -r @swc-node/register bench/serving/mlserver.bench.ts
 * SLIPWAY_BENCH_DURATION_SEC=1 shortens every measured round (and the warm-ups) for a smoke run; its results say so.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runBench } from './bench-run';
import { startDemoPlatform, stopWithBench } from './demo-platform';
import { importOnnxModel } from './import-onnx-model';
import { measureInterleaved, type InterleavedPlan, type RoundMeasurement } from './interleaved-load';
import { codeVersionOf, describeMachine } from './machine-description';
import { MlserverBenchError } from './mlserver-bench.error';
import { makeMlserverModel } from './mlserver-model';
import { startMlserver } from './mlserver-process';
import { renderMlserverMarkdown } from './mlserver-report';
import { checkGoals, compare, MLSERVER, SLIPWAY, type MlserverBenchResult } from './mlserver-result';
import { checkAgreement } from './prediction-agreement';

const WORKSPACE_ROOT = resolve(__dirname, '../..');
const RESULTS_DIR = join(WORKSPACE_ROOT, 'bench/results');
const FULL_LOAD = 64;
const DURATION_SEC = 10;
const WARMUP_SEC = 2;
const ALIAS = 'production';

/** A shorter duration (SLIPWAY_BENCH_DURATION_SEC) makes a smoke run; an unset variable the real one. */
function planFromEnvironment(): InterleavedPlan & { smokeRun: boolean } {
  const given = process.env['SLIPWAY_BENCH_DURATION_SEC'];
  const durationSec = given === undefined ? DURATION_SEC : Number(given);
  if (!Number.isInteger(durationSec) || durationSec < 1) throw new MlserverBenchError(`SLIPWAY_BENCH_DURATION_SEC must be a whole number of seconds, at least 1 (got "${given}")`);
  return { connections: [1, 16, FULL_LOAD], rounds: 3, warmupSec: Math.min(WARMUP_SEC, durationSec), durationSec, smokeRun: durationSec !== DURATION_SEC };
}

function log(m: RoundMeasurement): void {
  console.log(`${m.configuration} @ ${m.connections}, round ${m.round}: ${Math.round(m.requestsPerSec)} req/s, p50 ${m.latency.p50Ms} ms, p99 ${m.latency.p99Ms} ms`);
}

runBench(async (run) => {
  const { cleanups } = run;
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  const plan = planFromEnvironment();
  const workDir = await mkdtemp(join(tmpdir(), 'slipway-bench-mlserver-'));
  const logsDir = join(workDir, 'logs');
  // On failure only the logs stay, for the error that names one of them.
  cleanups.push('remove the MLServer work folder', async () => {
    if (!run.failed) return rm(workDir, { recursive: true, force: true });
    await rm(join(workDir, 'model'), { recursive: true, force: true });
    console.error(`kept the MLServer logs in ${logsDir}`);
  });
  await mkdir(logsDir);
  const code = codeVersionOf(WORKSPACE_ROOT);
  console.log('building the MLServer venv if its requirements changed, and training the model');
  const model = await makeMlserverModel(WORKSPACE_ROOT, join(workDir, 'model'), join(logsDir, 'python.log'));
  const mlserver = await startMlserver(model, join(logsDir, 'mlserver.log'));
  cleanups.push('stop MLServer', () => mlserver.stop());
  console.log(`MLServer ${String(mlserver.settings['mlserver'])} serves ${model.name} on ${mlserver.baseUrl} (parallel_workers ${String(mlserver.settings['parallel_workers'])})`);

  console.log('starting the platform (it trains the demo model first)');
  const token = randomUUID();
  const demo = await startDemoPlatform(WORKSPACE_ROOT, { env: { SLIPWAY_API_TOKENS: JSON.stringify([{ name: 'mlserver-bench', token, scopes: [`promote:${ALIAS}`] }]) } });
  stopWithBench(demo, run);
  const servingUrl = demo.platform.url('serving');
  const imported = await importOnnxModel(demo.platform.url('model-registry'), servingUrl, model.onnxFile, model.name, ALIAS, token);
  console.log(`Slipway serves ${imported.name} v${imported.version} (imported ONNX, alias ${ALIAS}) on ${servingUrl}`);

  const route = `/v2/models/${model.name}/infer`;
  const agreement = await checkAgreement(`${servingUrl}${route}`, `${mlserver.baseUrl}${route}`, model);
  console.log(`both answer the same labels for ${agreement.rows} rows, probabilities within ${agreement.largestProbabilityDifference.toExponential(1)}`);

  const body = { inputs: [{ name: model.checkRows.input, datatype: 'FP32', shape: [1, 4], data: model.checkRows.rows[0] }] };
  const targets = [
    { configuration: SLIPWAY, url: `${servingUrl}${route}`, body: JSON.stringify(body) },
    { configuration: MLSERVER, url: `${mlserver.baseUrl}${route}`, body: JSON.stringify(body) },
  ];
  const measurements = await measureInterleaved(targets, plan, log);
  const comparisons = compare(measurements, plan.connections);
  const result: MlserverBenchResult = {
    benchmark: 'mlserver',
    description: 'The same fitted scikit-learn pipeline served by Slipway (ONNX, imported) and by MLServer (mlserver-sklearn, V2 REST)',
    startedAt,
    smokeRun: plan.smokeRun,
    code,
    machine,
    caveats: [
      `The load generator (autocannon, one thread), both servers and the platform's other services share this machine's ${cpus().length} CPUs; only the server being measured has traffic.`,
      'Both run as shipped: Slipway\'s serving with its defaults (dynamic batching on, every answer counted and recorded for monitoring through Redis); MLServer with its defaults and only its ports set (see servers.mlserver).',
      `MLServer's defaults shape its figures: parallel_workers ${String(mlserver.settings['parallel_workers'])} (the HTTP process hands every request to that many inference worker processes), debug ${String(mlserver.settings['debug'])} (uvicorn writes an access-log line per request), Prometheus metrics on. A tuned MLServer (more workers, debug off) is not what is measured here.`,
      'The request names no outputs, so each server answers what it answers by default: Slipway the ONNX graph\'s label and probabilities, MLServer predict() only (mlserver-sklearn\'s default).',
    ],
    servers: {
      slipway: { model: imported, format: 'onnx (skl2onnx, zipmap=False)', env: 'serving defaults' },
      mlserver: { ...mlserver.settings, modelSettings: 'mlserver_sklearn.SKLearnModel, model.joblib' },
    },
    agreement,
    request: { method: 'POST', path: route, contentType: 'application/json', body },
    load: { tool: 'autocannon 8.0.0 (programmatic, one thread)', connections: plan.connections, rounds: plan.rounds, warmupSec: plan.warmupSec, durationSec: plan.durationSec, pipelining: 1, order: 'Slipway then MLServer in every round' },
    measurements,
    comparisons,
    targets: checkGoals(comparisons, FULL_LOAD),
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(join(RESULTS_DIR, 'mlserver.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(RESULTS_DIR, 'mlserver.md'), renderMlserverMarkdown(result));
  for (const check of result.targets) console.log(`${check.name}: ${check.value} (target ${check.target}) ${check.met ? 'met' : 'not met'}`);
  console.log(`wrote ${join(RESULTS_DIR, 'mlserver.json')} and mlserver.md${plan.smokeRun ? ' (a smoke run: shortened durations)' : ''}`);
});
