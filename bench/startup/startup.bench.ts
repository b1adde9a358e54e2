/**
 * Time from `slipway up --demo` to the first successful prediction, on a cold state directory:
 * Redis start, five services ready, the Iris pipeline prepared, trained, registered, loaded and queried.
 * Writes bench/results/startup.json. Run with `npm run bench` (after `npm run build`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '@slipway/local-runtime';

const WORKSPACE_ROOT = resolve(__dirname, '../..');
const CLI_ENTRY = join(WORKSPACE_ROOT, 'dist/apps/cli/apps/cli/src/main.js');
const RUNS = 3;

interface Sample {
  wallMs: number;
  timeToFirstPredictionMs: number;
  trainMs: number | null;
  testAccuracy: number | null;
  backend: string | null;
}

async function oneColdStart(): Promise<Sample> {
  const stateDir = await mkdtemp(join(tmpdir(), 'slipway-bench-'));
  const report = join(stateDir, 'report.json');
  const ports = ['MODEL_REGISTRY_PORT', 'DATA_PREP_PORT', 'TRAINER_PORT', 'MONITORING_PORT', 'SERVING_PORT'];
  const env: Record<string, string> = { ...process.env } as Record<string, string>;
  delete env['REDIS_URL'];
  for (const name of ports) env[name] = String(await findFreePort());
  const startedAt = performance.now();
  try {
    await promisify(execFile)(process.execPath, [CLI_ENTRY, 'up', '--demo', '--exit-after-demo', '--state-dir', stateDir, '--report', report], { cwd: WORKSPACE_ROOT, env, timeout: 180_000 });
    const wallMs = performance.now() - startedAt;
    const parsed = JSON.parse(await readFile(report, 'utf8')) as {
      timeToFirstPredictionMs: number;
      run: { backend: string | null; metrics: { test: { accuracy?: number } } | null; steps: { name: string; durationMs: number | null }[] };
    };
    return {
      wallMs: Math.round(wallMs),
      timeToFirstPredictionMs: Math.round(parsed.timeToFirstPredictionMs),
      trainMs: parsed.run.steps.find((step) => step.name === 'train')?.durationMs ?? null,
      testAccuracy: parsed.run.metrics?.test.accuracy ?? null,
      backend: parsed.run.backend,
    };
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    const sample = await oneColdStart();
    console.log(`run ${i + 1}: first prediction after ${sample.timeToFirstPredictionMs} ms (train step ${sample.trainMs} ms, ${sample.backend})`);
    samples.push(sample);
  }
  const result = {
    benchmark: 'startup',
    description: 'slipway up --demo on a cold state directory: time to the first successful prediction',
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    runs: samples,
    medianTimeToFirstPredictionMs: median(samples.map((s) => s.timeToFirstPredictionMs)),
    medianTrainStepMs: median(samples.map((s) => s.trainMs ?? NaN)),
  };
  await mkdir(join(WORKSPACE_ROOT, 'bench/results'), { recursive: true });
  await writeFile(join(WORKSPACE_ROOT, 'bench/results/startup.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`median time to first prediction: ${result.medianTimeToFirstPredictionMs} ms`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
