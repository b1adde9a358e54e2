/**
 * `npm run demo:drift`: starts the platform locally (like `slipway up`), trains the Iris demo model, sends it
 * normal and then shifted traffic, and shows monitoring's drift alert arriving at a webhook (a local HTTP
 * server here) and the retraining run it submits through the registry. The retraining pipeline reads a data
 * export that the shifted rows, with their true species, are appended to as they are measured, so the
 * retraining prepares the new data and trains a new version rather than reusing the cached one. Needs the
 * services built and redis-server.
 */
import { once } from 'node:events';
import { appendFileSync, copyFileSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceName } from '@slipway/config';
import { driftAlertSchema, metricValue, pipelineSpecSchema, type DriftAlert, type ModelDriftResponse, type Run, type ShorthandPipelineSpecInput } from '@slipway/contracts';
import { findFreePort, LocalPlatform, PLATFORM_SERVICES, startRedisServer } from '@slipway/local-runtime';
import { parseCsv, type CsvRecord } from '@slipway/ml';
import { RegistryClient } from '@slipway/registry-client';

const WORKSPACE_ROOT = resolve(__dirname, '../..');
const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const BATCH_ROWS = 25;

const say = (line: string) => console.log(`\u001b[1m▸\u001b[0m ${line}`);

/** Larger petals than anything in training: what a new supplier's measuring rig might send. */
const shift = (row: CsvRecord): CsvRecord => ({ ...row, petal_length: String(Number(row['petal_length']) * 2 + 3), petal_width: String(Number(row['petal_width']) * 2 + 2) });

async function startWebhook(): Promise<{ url: string; alert: Promise<DriftAlert>; close: () => void }> {
  let deliver: (alert: DriftAlert) => void = () => undefined;
  const alert = new Promise<DriftAlert>((resolveAlert) => (deliver = resolveAlert));
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(204).end();
      deliver(driftAlertSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/drift`, alert, close: () => server.close() };
}

async function followRun(registry: RegistryClient, runId: string): Promise<Run> {
  let last = '';
  for (;;) {
    const run = await registry.getRun(runId);
    const steps = run.steps.map((step) => `${step.name}:${step.status}`).join(' ');
    if (steps !== last) say(`run ${run.id} (${run.pipelineName}): ${run.status} — ${steps}`);
    last = steps;
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await sleep(500);
  }
}

async function infer(servingUrl: string, model: string, version: number, id: string, rows: CsvRecord[]): Promise<void> {
  const body = { id, inputs: FEATURES.map((name) => ({ name, datatype: 'FP32', shape: [rows.length], data: rows.map((row) => Number(row[name])) })) };
  const response = await fetch(`${servingUrl}/v2/models/${model}/versions/${version}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`infer ${id} answered ${response.status}: ${await response.text()}`);
}

/** Asks the model's default route until the new version answers it (the registry's pub/sub notice reaches serving within a moment). */
async function waitUntilServedBy(servingUrl: string, model: string, version: number): Promise<string> {
  const body = JSON.stringify({ inputs: FEATURES.map((name) => ({ name, datatype: 'FP32', shape: [1], data: [1] })) });
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const response = await fetch(`${servingUrl}/v2/models/${model}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const servedBy = response.headers.get('x-slipway-served-by');
    if (response.ok && servedBy === `${model}@${version}`) return servedBy;
    await sleep(250);
  }
  throw new Error(`serving still does not answer ${model} with version ${version} after 15 s`);
}

async function showDrift(monitoringUrl: string, model: string, version: number): Promise<void> {
  const report = (await (await fetch(`${monitoringUrl}/api/models/${model}/drift`)).json()) as ModelDriftResponse;
  const current = report.versions.find((v) => v.version === version);
  if (!current || current.features.length === 0) {
    say(`drift of ${model}@${version}: not judged yet (${current?.windowRows ?? 0} rows in the window)`);
    return;
  }
  say(`drift of ${model}@${version} over ${current.windowRows} rows (threshold PSI ${current.psiThreshold}):`);
  for (const f of current.features) console.log(`    ${f.feature.padEnd(14)} PSI ${f.psi.toFixed(3).padStart(7)}   ${f.test.method} p=${f.test.pValue.toExponential(2)}`);
}

async function main(): Promise<void> {
  const pipeline = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'pipelines/iris.pipeline.json'), 'utf8')) as ShorthandPipelineSpecInput;
  const stateDir = await mkdtemp(join(tmpdir(), 'slipway-drift-demo-'));
  // The data export a team retrains from: today's Iris data, and the new rig's labelled rows as they arrive.
  const dataExport = join(stateDir, 'iris-export.csv');
  copyFileSync(join(WORKSPACE_ROOT, pipeline.dataset.uri), dataExport);
  const retrain = pipelineSpecSchema.parse({ ...pipeline, name: 'iris-drift-retrain', dataset: { ...pipeline.dataset, uri: dataExport } });
  const webhook = await startWebhook();
  const redis = await startRedisServer(join(stateDir, 'redis'));
  const ports = Object.fromEntries(await Promise.all(PLATFORM_SERVICES.map(async (name) => [name, await findFreePort()] as const))) as Record<ServiceName, number>;
  // 0.25 is the usual "significant shift" level; the Iris data itself sits at PSI 0.02–0.1 against the deciles of its
  // 105-row training split (sampling noise), so it stays quiet until the shifted rows arrive.
  const policy = { [pipeline.model.name]: { psiThreshold: 0.25, minRows: 150, webhook: webhook.url, retrain: { pipeline: retrain } } };
  const platform = new LocalPlatform({
    workspaceRoot: WORKSPACE_ROOT,
    redisUrl: redis.url,
    ports,
    stateDir,
    env: {
      SLIPWAY_PREDICTION_LOG_SAMPLE_RATE: '1',
      SLIPWAY_PREDICTION_LOG_FLUSH_MS: '200',
      SLIPWAY_RECONCILE_INTERVAL_MS: '2000',
      SLIPWAY_DRIFT_WINDOW_ROWS: '300',
      SLIPWAY_DRIFT_POLICY: JSON.stringify(policy),
    },
  });
  const stop = async () => {
    await platform.stop();
    await redis.stop();
    webhook.close();
    await rm(stateDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    say(`starting the platform (state in ${stateDir}); drift policy: ${JSON.stringify({ ...policy.iris, retrain: { pipeline: retrain.name } })}`);
    await platform.start((service, ms) => say(`${service} ready in ${ms} ms at ${platform.url(service)}`));
    const registry = new RegistryClient(platform.url('model-registry'));

    const trained = await followRun(registry, (await registry.submitRun({ pipeline: pipelineSpecSchema.parse(pipeline) })).id);
    if (trained.status !== 'succeeded' || !trained.modelVersion) throw new Error(`training failed: ${trained.error}`);
    const { model, version } = trained.modelVersion;
    say(`${model}@${version} registered, test accuracy ${testAccuracyOf(trained)}, promoted to ${trained.promotedTo}`);
    while ((await fetch(`${platform.url('serving')}/v2/models/${model}/versions/${version}/ready`)).status !== 200) await sleep(250);

    const csv = readFileSync(join(WORKSPACE_ROOT, pipeline.dataset.uri), 'utf8');
    const rows = parseCsv(csv, pipeline.dataset.uri);
    const columns = (csv.split('\n', 1)[0] as string).trim().split(',');
    say(`sending ${rows.length} normal rows`);
    for (let i = 0; i < rows.length; i += BATCH_ROWS) await infer(platform.url('serving'), model, version, `normal-${i}`, rows.slice(i, i + BATCH_ROWS));
    await sleep(1_000);
    await showDrift(platform.url('monitoring'), model, version);

    say('sending shifted rows (petals twice as long, plus 3 cm) until monitoring alerts');
    let batches = 0;
    const alerted = webhook.alert.then(() => true);
    while (!(await Promise.race([alerted, sleep(300, false)])) && batches < 40) {
      const start = (batches * BATCH_ROWS) % rows.length;
      const shifted = rows.slice(start, start + BATCH_ROWS).map(shift);
      appendFileSync(dataExport, shifted.map((row) => `${columns.map((column) => row[column]).join(',')}\n`).join(''));
      await infer(platform.url('serving'), model, version, `shifted-${batches}`, shifted);
      batches++;
    }
    const alert = await Promise.race([webhook.alert, sleep(30_000).then(() => undefined)]);
    if (!alert) throw new Error('no drift alert reached the webhook');
    say(`webhook received alert ${alert.id} for ${alert.model}@${alert.version} after ${batches} shifted batches: ${alert.features.map((f) => `${f.feature} PSI ${f.psi.toFixed(2)}`).join(', ')}`);
    await showDrift(platform.url('monitoring'), model, version);
    if (!alert.retrainRunId) throw new Error('the alert names no retraining run');
    const retrained = await followRun(registry, alert.retrainRunId);
    if (retrained.status !== 'succeeded' || !retrained.modelVersion) throw new Error(`retraining failed: ${retrained.error}`);
    const next = retrained.modelVersion;
    say(`retraining run ${retrained.id} trained ${next.model}@${next.version} on the export with the new rig's rows, test accuracy ${testAccuracyOf(retrained)}, promoted to ${retrained.promotedTo ?? 'nothing (below the promotion gate)'}`);
    if (retrained.promotedTo) {
      const servedBy = await waitUntilServedBy(platform.url('serving'), next.model, next.version);
      say(`serving swapped versions without a restart: /v2/models/${next.model}/infer is now answered by ${servedBy}`);
    }
    say(`Prometheus figures: curl -s ${platform.url('monitoring')}/metrics | grep -E 'slipway_(feature_drift|drift_alerts|model_drifted)'`);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(`drift demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

function testAccuracyOf(run: Run): string {
  const accuracy = run.metrics === null ? undefined : metricValue(run.metrics, 'test.accuracy');
  return accuracy === undefined ? '—' : accuracy.toFixed(3);
}
