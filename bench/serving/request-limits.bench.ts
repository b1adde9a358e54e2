/**
 * What one large request costs serving, issue 14's "hard to break" figures: the time and the serving process's peak
 * memory of a V2 JSON request at the row limit (SLIPWAY_SERVING_MAX_ROWS, 10,000 rows of the demo model) and of one of
 * 700,000 rows (14 MB, under the 16 MiB body limit: refused with 413 since the row limit), and /v2/health/live latency
 * while three of each run at once (the chart's liveness probe times out after 3 s).
 * Writes bench/results/serving-limits.json and bench/results/serving-limits.md.
 * Run after `npx nx run-many -t build -p model-registry data-prep trainer serving monitoring`:
 *   SWC_NODE_PROJECT=bench/serving/tsconfig.json node -r @swc-node/register bench/serving/request-limits.bench.ts
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runBench } from './bench-run';
import { startDemoPlatform, stopWithBench } from './demo-platform';
import { codeVersionOf, describeMachine } from './machine-description';

const WORKSPACE_ROOT = resolve(__dirname, '../..');
const RESULTS_DIR = join(WORKSPACE_ROOT, 'bench/results');
const LIMIT_ROWS = 10_000;
const OVERSIZED_ROWS = 700_000;
const SEQUENTIAL_REPEATS = 5;
const CONCURRENT = 3;
const PROBE_INTERVAL_MS = 100;
const MEMORY_SAMPLE_MS = 20;

/** A V2 request of `rows` iris-like rows, one FP32 input per feature, as the bytes sent. */
function irisBody(rows: number): Buffer {
  const features = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
  const data = (column: number) => Array.from({ length: rows }, (_, row) => Math.round((1 + column + ((row * 7) % 40) / 10) * 10) / 10);
  return Buffer.from(JSON.stringify({ inputs: features.map((name, column) => ({ name, datatype: 'FP32', shape: [rows], data: data(column) })) }));
}

/** Resident memory of a process in MiB, from /proc. */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:')) ?? 'VmRSS: 0 kB';
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

/** Runs `work` while sampling the process's memory; answers the work's result and the highest sample. */
async function withPeakMemory<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMiB: number; beforeMiB: number }> {
  const beforeMiB = rssMiB(pid);
  let peakMiB = beforeMiB;
  const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, rssMiB(pid))), MEMORY_SAMPLE_MS);
  try {
    const result = await work();
    return { result, peakMiB: Math.max(peakMiB, rssMiB(pid)), beforeMiB };
  } finally {
    clearInterval(sampler);
  }
}

async function infer(url: string, body: Buffer): Promise<{ status: number; ms: number }> {
  const startedAt = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.arrayBuffer();
  return { status: response.status, ms: Math.round(performance.now() - startedAt) };
}

/** /v2/health/live latencies, one probe every PROBE_INTERVAL_MS (each waiting for the last), until `done` settles. */
async function probeLiveness(url: string, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const latencies: number[] = [];
  while (!finished) {
    const startedAt = performance.now();
    await (await fetch(`${url}/v2/health/live`)).arrayBuffer();
    latencies.push(Math.round(performance.now() - startedAt));
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
  return latencies;
}

interface Figures {
  rows: number;
  bodyMiB: number;
  /** One request at a time: statuses, median time, and the serving process's memory before and at its peak. */
  sequential: { statuses: number[]; medianMs: number; rssBeforeMiB: number; rssPeakMiB: number };
  /** CONCURRENT requests at once: their statuses and times, and the liveness probe's slowest and median answer meanwhile. */
  concurrent: { statuses: number[]; slowestMs: number; livenessMaxMs: number; livenessMedianMs: number; probes: number; rssPeakMiB: number };
}

async function measure(url: string, pid: number, rows: number): Promise<Figures> {
  const body = irisBody(rows);
  const inferUrl = `${url}/v2/models/iris/infer`;
  const sequentialRuns: { status: number; ms: number }[] = [];
  const sequential = await withPeakMemory(pid, async () => {
    for (let repeat = 0; repeat < SEQUENTIAL_REPEATS; repeat += 1) sequentialRuns.push(await infer(inferUrl, body));
  });
  const times = sequentialRuns.map((run) => run.ms).sort((a, b) => a - b);
  const concurrent = await withPeakMemory(pid, async () => {
    const requests = Promise.all(Array.from({ length: CONCURRENT }, () => infer(inferUrl, body)));
    const [answers, latencies] = await Promise.all([requests, probeLiveness(url, requests)]);
    return { answers, latencies };
  });
  const latencies = [...concurrent.result.latencies].sort((a, b) => a - b);
  return {
    rows,
    bodyMiB: Math.round((body.length / 2 ** 20) * 10) / 10,
    sequential: { statuses: sequentialRuns.map((run) => run.status), medianMs: times[Math.floor(times.length / 2)] ?? 0, rssBeforeMiB: sequential.beforeMiB, rssPeakMiB: sequential.peakMiB },
    concurrent: {
      statuses: concurrent.result.answers.map((answer) => answer.status),
      slowestMs: Math.max(...concurrent.result.answers.map((answer) => answer.ms)),
      livenessMaxMs: latencies[latencies.length - 1] ?? 0,
      livenessMedianMs: latencies[Math.floor(latencies.length / 2)] ?? 0,
      probes: latencies.length,
      rssPeakMiB: concurrent.peakMiB,
    },
  };
}

function renderMarkdown(results: { machine: ReturnType<typeof describeMachine>; commit: string; figures: Figures[] }): string {
  const lines = [
    '# Serving: the cost of one large request',
    '',
    `Commit ${results.commit.slice(0, 12)}, ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}, load ${results.machine.loadAverageAtStart} at start.`,
    'The demo iris model over V2 JSON, batching on (defaults); memory is the serving process\'s resident set.',
    '',
    `| rows | body MiB | status | median ms (${SEQUENTIAL_REPEATS} one at a time) | RSS before → peak MiB | ${CONCURRENT} at once: statuses | slowest ms | liveness max / median ms | RSS peak MiB |`,
    '|---:|---:|---|---:|---:|---|---:|---:|---:|',
  ];
  for (const figure of results.figures) {
    const { sequential: s, concurrent: c } = figure;
    lines.push(`| ${figure.rows} | ${figure.bodyMiB} | ${[...new Set(s.statuses)].join(', ')} | ${s.medianMs} | ${s.rssBeforeMiB} → ${s.rssPeakMiB} | ${c.statuses.join(', ')} | ${c.slowestMs} | ${c.livenessMaxMs} / ${c.livenessMedianMs} | ${c.rssPeakMiB} |`);
  }
  return `${lines.join('\n')}\n`;
}

runBench(async (run) => {
  const machine = describeMachine();
  const demo = await startDemoPlatform(WORKSPACE_ROOT);
  stopWithBench(demo, run);
  const pid = demo.platform.services.serving.pid;
  if (pid === undefined) throw new Error('serving has no process id');
  const url = demo.platform.url('serving');
  const figures: Figures[] = [];
  for (const rows of [LIMIT_ROWS, OVERSIZED_ROWS]) {
    figures.push(await measure(url, pid, rows));
    console.log(JSON.stringify(figures[figures.length - 1]));
  }
  const results = { machine, commit: codeVersionOf(WORKSPACE_ROOT).commit, figures };
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(join(RESULTS_DIR, 'serving-limits.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(RESULTS_DIR, 'serving-limits.md'), renderMarkdown(results));
  console.log(renderMarkdown(results));
});
