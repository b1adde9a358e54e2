/**
 * Serving throughput and latency, issue 3's "Speed" section: the demo model over V2 JSON infer with one row per
 * request at 1, 16 and 64 connections, batching off and on, next to a bare Fastify server (the ceiling for Node
 * HTTP on this machine), plus /v2/health/live latency under the 64-connection loads.
 * Writes bench/results/serving.json and bench/results/serving.md.
 * Run: `npm run bench:serving` (nx run serving:bench, which builds the services first), or after
 * `npx nx run-many -t build -p model-registry data-prep trainer serving monitoring`:
 *   SWC_NODE_PROJECT=bench/serving/tsconfig.json node -r @swc-node/register bench/serving/serving.bench.ts
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { V2InferResponse } from '@slipway/contracts';
import { BATCHED, CEILING, checkTargets, UNBATCHED, type BenchResult, type Configuration, type LivenessSample } from './bench-result';
import { buildFingerprint } from './build-fingerprint';
import { runBench } from './bench-run';
import type { CleanupStack } from './cleanup-stack';
import { startDemoPlatform, stopWithBench } from './demo-platform';
import { codeVersionOf, describeMachine } from './machine-description';
import { summarizeLatencies } from './latency-summary';
import type { ProbeReport } from './liveness-probe.child';
import { measureLoad, type LoadTarget, type Measurement } from './load';
import { renderMarkdown } from './markdown-report';
import { startServingVariant } from './serving-variant';
import { startTsChild } from './ts-child';

const WORKSPACE_ROOT = resolve(__dirname, '../..');
const RESULTS_DIR = join(WORKSPACE_ROOT, 'bench/results');
const SERVING_BUILD = join(WORKSPACE_ROOT, 'dist/apps/serving');
const CONNECTIONS = [1, 16, 64] as const;
const FULL_LOAD = 64;
const WARMUP_SEC = 2;
const DURATION_SEC = 10;
const LIVENESS_INTERVAL_MS = 100;
const CHILD_START_TIMEOUT_MS = 30_000;

/** The first row of data/iris.csv, as one V2 request with one FP32 input per feature. */
const ROW = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
const BODY = { inputs: Object.entries(ROW).map(([name, value]) => ({ name, shape: [1], datatype: 'FP32', data: [value] })) };

const CONFIGURATIONS: Configuration[] = [
  { name: CEILING, description: 'bare Fastify (ceiling)', env: {} },
  { name: UNBATCHED, description: 'serving, batching off', env: { SLIPWAY_BATCHING: 'false' } },
  { name: BATCHED, description: 'serving, batching on (defaults)', env: { SLIPWAY_BATCHING: 'true' } },
  {
    name: 'serving-batching-on-2ms',
    description: 'serving, batching on, 2 ms max queue delay',
    env: { SLIPWAY_BATCHING: 'true', SLIPWAY_BATCH_MAX_DELAY_US: '2000' },
  },
];

export class BenchSetupError extends Error {
  override readonly name = 'BenchSetupError';
}

/** One real infer call: checks serving answers the bench's body, and gives the bare server the same bytes to send. */
async function inferOnce(url: string): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BODY) });
  const text = await response.text();
  if (response.status !== 200) throw new BenchSetupError(`POST ${url} answered ${response.status}: ${text}`);
  const answer = JSON.parse(text) as V2InferResponse;
  if (!Array.isArray(answer.outputs) || answer.outputs.some((output) => output.shape[0] !== 1)) {
    throw new BenchSetupError(`POST ${url} answered 200 without one row per output: ${text}`);
  }
  return text;
}

function log(m: Measurement): void {
  const cpu = m.serverCpuUsPerRequest === undefined ? '' : `, server CPU ${m.serverCpuUsPerRequest} µs/request`;
  console.log(`${m.configuration} @ ${m.connections}: ${Math.round(m.requestsPerSec)} req/s, p50 ${m.latency.p50Ms} ms, p99 ${m.latency.p99Ms} ms${cpu}`);
}

/** Each connection count: a warm-up (also required to be error-free), then the measured run; at full load, with the liveness probe when given. */
async function measureAll(target: LoadTarget, cleanups: CleanupStack, livenessUrl?: string): Promise<{ measurements: Measurement[]; liveness?: LivenessSample }> {
  const measurements: Measurement[] = [];
  let liveness: LivenessSample | undefined;
  for (const connections of CONNECTIONS) {
    if (connections === FULL_LOAD && livenessUrl) {
      const probe = startTsChild(join(__dirname, 'liveness-probe.child.ts'), [livenessUrl, String(LIVENESS_INTERVAL_MS)]);
      cleanups.push('stop the liveness probe', () => probe.stop());
      await probe.nextMessage('readiness', CHILD_START_TIMEOUT_MS);
      await measureLoad(target, connections, WARMUP_SEC);
      const load = measureLoad(target, connections, DURATION_SEC);
      // Sampling stops a second early so every sample falls inside the load.
      probe.send({ durationMs: (DURATION_SEC - 1) * 1000 });
      const [measurement, report] = await Promise.all([load, probe.nextMessage<ProbeReport>('its samples', (DURATION_SEC + 10) * 1000)]);
      await probe.stop();
      measurements.push(measurement);
      liveness = { configuration: target.configuration, connections, url: livenessUrl, intervalMs: LIVENESS_INTERVAL_MS, latency: summarizeLatencies(report.latenciesMs), failures: report.failures };
      console.log(`  /v2/health/live: ${liveness.latency.samples} samples, p99 ${liveness.latency.p99Ms} ms, max ${liveness.latency.maxMs} ms, ${report.failures.length} failures`);
    } else {
      await measureLoad(target, connections, WARMUP_SEC);
      measurements.push(await measureLoad(target, connections, DURATION_SEC));
    }
    log(measurements[measurements.length - 1] as Measurement);
  }
  return { measurements, liveness };
}

runBench(async (run) => {
  const { cleanups } = run;
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  const servingBuild = await buildFingerprint(SERVING_BUILD);
  const code = { ...codeVersionOf(WORKSPACE_ROOT), servingBuild };
  console.log('starting the platform and training the demo model');
  const demo = await startDemoPlatform(WORKSPACE_ROOT);
  stopWithBench(demo, run);
  console.log(`${demo.model.name} v${demo.model.version} served (${demo.model.backend} backend)`);
  const route = `/v2/models/${demo.model.name}/infer`;
  const answer = await inferOnce(`${demo.platform.url('serving')}${route}`);
  // From here on only the server being measured runs; the platform's own serving has done its part.
  await demo.platform.services.serving.stop();

  const measurements: Measurement[] = [];
  const liveness: LivenessSample[] = [];
  const bare = startTsChild(join(__dirname, 'bare-fastify.server.ts'), [route, answer]);
  cleanups.push('stop the bare Fastify server', () => bare.stop());
  const { port } = await bare.nextMessage<{ port: number }>('its port', CHILD_START_TIMEOUT_MS);
  measurements.push(...(await measureAll({ configuration: CEILING, url: `http://127.0.0.1:${port}${route}`, body: JSON.stringify(BODY), serverPid: bare.pid }, cleanups)).measurements);
  await bare.stop();

  for (const configuration of CONFIGURATIONS.filter((c) => c.name !== CEILING)) {
    const serving = await startServingVariant(demo.platform, configuration.name, configuration.env, demo.model);
    cleanups.push(`stop ${configuration.name}`, async () => void (await serving.stop()));
    const target = { configuration: configuration.name, url: `${serving.baseUrl}${route}`, body: JSON.stringify(BODY), serverPid: serving.pid };
    const measured = await measureAll(target, cleanups, `${serving.baseUrl}/v2/health/live`);
    measurements.push(...measured.measurements);
    if (measured.liveness) liveness.push(measured.liveness);
    await serving.stop();
  }
  if ((await buildFingerprint(SERVING_BUILD)) !== servingBuild) {
    throw new BenchSetupError(`${SERVING_BUILD} was rebuilt during the run: the configurations may have run different code; run the bench again`);
  }

  const result: BenchResult = {
    benchmark: 'serving',
    description: 'V2 JSON infer of one row on the demo model, batching off and on, against a bare Fastify ceiling',
    startedAt,
    code,
    machine,
    caveats: [
      `The load generator (autocannon, one thread), the server under test and the liveness probe share this machine's ${cpus().length} CPUs, so every figure, the ceiling included, is below what the server would reach with the machine to itself.`,
      'Serving runs as shipped: each answer is counted on /metrics and recorded for monitoring (through Redis to the monitoring service, on the same machine). The other platform services sit idle; only one server under test runs at a time.',
    ],
    model: demo.model,
    request: { method: 'POST', path: route, contentType: 'application/json', body: BODY },
    load: { tool: 'autocannon 8.0.0 (programmatic, one thread)', connections: CONNECTIONS, warmupSec: WARMUP_SEC, durationSec: DURATION_SEC, pipelining: 1 },
    configurations: CONFIGURATIONS,
    measurements,
    liveness,
    targets: checkTargets(measurements, liveness, FULL_LOAD),
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(join(RESULTS_DIR, 'serving.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(RESULTS_DIR, 'serving.md'), renderMarkdown(result));
  for (const check of result.targets) console.log(`${check.name}: ${check.value} (target ${check.target}) ${check.met ? 'met' : 'not met'}`);
  console.log(`wrote ${join(RESULTS_DIR, 'serving.json')} and serving.md`);
});
