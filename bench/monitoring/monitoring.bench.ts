/**
 * Monitoring's cost: how many sampled prediction records per second the monitoring service ingests from the
 * events queue (100% sampling: inputs and labels on every record, so drift windows and the feedback ledger do
 * real work), and how much serving's p99 at 64 connections grows when it logs every prediction versus none.
 * Logging off and on run ROUNDS times each, alternating (the order flips every round) so a burst of other load on
 * the machine hits both alike; the growth compares the medians.
 * Writes bench/results/monitoring.json and monitoring.md. Run with `npm run bench:monitoring`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, servingConfig } from '@slipway/config';
import { emptyPredictionLogGroup, eventsQueue, type PredictionLogEvent } from '@slipway/contracts';
import { redisOptionsFromUrl } from '@slipway/queue';
import { Queue, QueueEvents } from 'bullmq';
import { startDemoPlatform, type DemoPlatform } from '../serving/demo-platform';
import { measureLoad, type Measurement } from '../serving/load';
import { measureLogEncoding } from './log-encoding';
import { startServingVariant } from '../serving/serving-variant';

const WORKSPACE_ROOT = resolve(__dirname, '../..');
const RESULTS_DIR = join(WORKSPACE_ROOT, 'bench/results');
const BATCHES = 200;
const RECORDS_PER_BATCH = 500;
const CONNECTIONS = 64;
const WARMUP_SEC = 2;
const DURATION_SEC = 10;
const ROUNDS = 5;
const ROW = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
const BODY = { inputs: Object.entries(ROW).map(([name, value]) => ({ name, shape: [1], datatype: 'FP32', data: [value] })) };

/** Realistic sampled requests, in the columns serving sends: one row each, inputs spread around the training data, one of three labels. */
function batchOf(index: number, model: { name: string; version: number }): PredictionLogEvent {
  const labels = ['setosa', 'versicolor', 'virginica'];
  const group = emptyPredictionLogGroup(model.name, model.version);
  const { requests, samples } = group;
  samples.inputs = { sepal_length: [], sepal_width: [], petal_length: [], petal_width: [] };
  const inputs = samples.inputs as Record<'sepal_length' | 'sepal_width' | 'petal_length' | 'petal_width', number[]>;
  for (let i = 0; i < RECORDS_PER_BATCH; i += 1) {
    const n = index * RECORDS_PER_BATCH + i;
    requests.latencyMs.push(1 + (n % 7) / 10);
    requests.rows.push(1);
    requests.ok.push(true);
    samples.ids.push(`bench-${n}`);
    samples.answeredAtMs.push(Date.now());
    samples.rows.push(1);
    inputs.sepal_length.push(4.5 + (n % 30) / 10);
    inputs.sepal_width.push(2.2 + (n % 20) / 10);
    inputs.petal_length.push(1 + (n % 60) / 10);
    inputs.petal_width.push(0.1 + (n % 25) / 10);
    samples.labels.push(labels[n % 3] as string);
  }
  return { source: 'bench', groups: [group] };
}

/** Adds every batch at once and waits for the monitoring service to have processed all of them. */
async function measureIngestion(demo: DemoPlatform): Promise<{ records: number; seconds: number; recordsPerSec: number }> {
  const connection = redisOptionsFromUrl(demo.redisUrl);
  const queue = new Queue(eventsQueue.name, { connection, prefix: demo.queuePrefix });
  const events = new QueueEvents(eventsQueue.name, { connection, prefix: demo.queuePrefix });
  try {
    await events.waitUntilReady();
    const ids = new Set(Array.from({ length: BATCHES }, (_, i) => `bench-batch-${i}`));
    const done = new Promise<void>((resolveDone, rejectDone) => {
      events.on('completed', ({ jobId }) => {
        ids.delete(jobId);
        if (ids.size === 0) resolveDone();
      });
      events.on('failed', ({ jobId, failedReason }) => {
        if (ids.has(jobId)) rejectDone(new Error(`monitoring failed batch ${jobId}: ${failedReason}`));
      });
    });
    const jobs = Array.from({ length: BATCHES }, (_, i) => ({ name: 'prediction-log', data: batchOf(i, demo.model), opts: { jobId: `bench-batch-${i}` } }));
    const startedAt = performance.now();
    await queue.addBulk(jobs);
    await done;
    const seconds = (performance.now() - startedAt) / 1000;
    return { records: BATCHES * RECORDS_PER_BATCH, seconds: Math.round(seconds * 100) / 100, recordsPerSec: Math.round((BATCHES * RECORDS_PER_BATCH) / seconds) };
  } finally {
    await events.close();
    await queue.close();
  }
}

async function servingP99(demo: DemoPlatform, label: string, sampleRate: string): Promise<Measurement> {
  const serving = await startServingVariant(demo.platform, label, { SLIPWAY_PREDICTION_LOG_SAMPLE_RATE: sampleRate }, demo.model);
  try {
    const target = { configuration: label, url: `${serving.baseUrl}/v2/models/${demo.model.name}/infer`, body: JSON.stringify(BODY), serverPid: serving.pid };
    await measureLoad(target, CONNECTIONS, WARMUP_SEC);
    return await measureLoad(target, CONNECTIONS, DURATION_SEC);
  } finally {
    await serving.stop();
  }
}

interface LoggingRun {
  round: number;
  logging: 'off' | '100%';
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Serving's CPU time per answer (user + system, µs): robust to other load where latency is not. */
  serverCpuUsPerRequest: number | null;
  loadAverage: number;
}

/** Each round runs logging off and at 100% on a fresh serving process; odd rounds run them in the other order. */
async function compareLogging(demo: DemoPlatform): Promise<LoggingRun[]> {
  const runs: LoggingRun[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    const order: LoggingRun['logging'][] = round % 2 === 1 ? ['off', '100%'] : ['100%', 'off'];
    for (const logging of order) {
      const loadAverage = Math.round((loadavg()[0] ?? NaN) * 100) / 100;
      const measured = await servingP99(demo, `logging-${logging === 'off' ? 'off' : '100'}-${round}`, logging === 'off' ? '0' : '1');
      const run: LoggingRun = {
        round,
        logging,
        requestsPerSec: Math.round(measured.requestsPerSec),
        p50Ms: measured.latency.p50Ms,
        p99Ms: measured.latency.p99Ms,
        serverCpuUsPerRequest: measured.serverCpuUsPerRequest ?? null,
        loadAverage,
      };
      console.log(`round ${round}, logging ${logging}: ${run.requestsPerSec} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, server CPU ${run.serverCpuUsPerRequest ?? 'n/a'} µs/request (load average ${loadAverage})`);
      runs.push(run);
    }
  }
  return runs;
}

const cpuCell = (value: number | null) => (value === null ? 'n/a' : value.toFixed(1));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function summarize(runs: LoggingRun[]): { requestsPerSec: number; p50Ms: number; p99Ms: number; serverCpuUsPerRequest: number | null } {
  const cpu = runs.flatMap((run) => (run.serverCpuUsPerRequest === null ? [] : [run.serverCpuUsPerRequest]));
  return {
    requestsPerSec: Math.round(median(runs.map((run) => run.requestsPerSec))),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    serverCpuUsPerRequest: cpu.length === runs.length ? median(cpu) : null,
  };
}

async function main(): Promise<void> {
  const loadAverageAtStart = loadavg()[0];
  const encoding = measureLogEncoding(loadConfig(servingConfig, {}).SLIPWAY_PREDICTION_LOG_BATCH_SIZE);
  console.log(`prediction log on serving: ${encoding.totalUs} µs per request (build ${encoding.buildUs}, validate ${encoding.validateUs}, serialise ${encoding.serialiseUs})`);
  const demo = await startDemoPlatform(WORKSPACE_ROOT);
  let failed = false;
  try {
    const ingestion = await measureIngestion(demo);
    console.log(`ingestion: ${ingestion.records} records in ${ingestion.seconds} s = ${ingestion.recordsPerSec} records/s`);
    // Serving's own cost of logging is what is measured: monitoring (which would run on other nodes) is stopped,
    // so its ingestion does not compete for this machine's two cores; the batches wait in Redis.
    await demo.platform.services.serving.stop();
    await demo.platform.services.monitoring.stop();
    const runs = await compareLogging(demo);
    const off = summarize(runs.filter((run) => run.logging === 'off'));
    const full = summarize(runs.filter((run) => run.logging === '100%'));
    const growth = full.p99Ms / off.p99Ms - 1;
    const percent = (value: number) => Math.round(value * 1000) / 10;
    const roundGrowth = Array.from({ length: ROUNDS }, (_, index) => {
      const pair = runs.filter((run) => run.round === index + 1);
      const on = pair.find((run) => run.logging === '100%');
      const without = pair.find((run) => run.logging === 'off');
      return on && without ? percent(on.p99Ms / without.p99Ms - 1) : NaN;
    });
    const result = {
      benchmark: 'monitoring',
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageAtStart },
      caveat: 'Redis, the services and the load generator share the machine; figures are lower bounds. During the serving runs monitoring is stopped, so the p99 comparison measures the logging cost of serving itself.',
      logEncoding: encoding,
      ingestion: { ...ingestion, batches: BATCHES, recordsPerBatch: RECORDS_PER_BATCH, sampling: '100% (inputs and labels on every record)' },
      serving: {
        connections: CONNECTIONS,
        durationSec: DURATION_SEC,
        rounds: ROUNDS,
        loggingOff: off,
        logging100: full,
        p99GrowthPercent: percent(growth),
        roundP99GrowthPercent: roundGrowth,
        runs,
      },
      targets: [
        { name: 'ingestion ≥ 20,000 events/s', value: ingestion.recordsPerSec, met: ingestion.recordsPerSec >= 20_000 },
        { name: 'serving p99 grows ≤ 10% with 100% logging (medians)', value: `${percent(growth)}%`, met: growth <= 0.1 },
      ],
    };
    await mkdir(RESULTS_DIR, { recursive: true });
    await writeFile(join(RESULTS_DIR, 'monitoring.json'), `${JSON.stringify(result, null, 2)}\n`);
    const md = [
      '# Monitoring benchmark',
      '',
      `${result.machine.cpus} × ${result.machine.cpuModel}, Node ${result.machine.node}, load average ${loadAverageAtStart?.toFixed(2)} at start. ${result.caveat}`,
      '',
      `- Serving's cost of the prediction log, per request: **${encoding.totalUs} µs** of event loop (build ${encoding.buildUs}, validate ${encoding.validateUs}, serialise ${encoding.serialiseUs}; batches of ${encoding.requestsPerBatch}, ${encoding.bytesPerRequest} bytes per request, medians of ${encoding.repetitions} runs)`,
      `- Ingestion at 100% sampling: **${ingestion.recordsPerSec.toLocaleString('en-US')} records/s** (${ingestion.records.toLocaleString('en-US')} records in ${BATCHES} batches, ${ingestion.seconds} s, through the events queue)`,
      '',
      `Serving at ${CONNECTIONS} connections, ${DURATION_SEC} s per run after a ${WARMUP_SEC} s warm-up; logging off and at 100% alternate over ${ROUNDS} rounds (the order flips each round), each run on a fresh serving process.`,
      '',
      '| round | prediction logging | req/s | p50 (ms) | p99 (ms) | serving CPU (µs/request) | load average before |',
      '|---:|---|---:|---:|---:|---:|---:|',
      ...runs.map((run) => `| ${run.round} | ${run.logging} | ${run.requestsPerSec} | ${run.p50Ms.toFixed(2)} | ${run.p99Ms.toFixed(2)} | ${cpuCell(run.serverCpuUsPerRequest)} | ${run.loadAverage.toFixed(2)} |`),
      `| median | off | ${off.requestsPerSec} | ${off.p50Ms.toFixed(2)} | ${off.p99Ms.toFixed(2)} | ${cpuCell(off.serverCpuUsPerRequest)} | |`,
      `| median | 100% | ${full.requestsPerSec} | ${full.p50Ms.toFixed(2)} | ${full.p99Ms.toFixed(2)} | ${cpuCell(full.serverCpuUsPerRequest)} | |`,
      '',
      `p99 growth per round: ${roundGrowth.map((value) => `${value}%`).join(', ')}.`,
      '',
      ...result.targets.map((target) => `- ${target.name}: **${target.value}** — ${target.met ? 'met' : 'not met'}`),
      '',
    ].join('\n');
    await writeFile(join(RESULTS_DIR, 'monitoring.md'), md);
    console.log(md);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await demo.stop({ keepState: failed });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
