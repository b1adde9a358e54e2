import { execSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dataPrepQueue, registrationQueue, stepJobId, trainingQueue, type PipelineSpecInput, type Run } from '@slipway/contracts';
import { builtEntryOf, findFreePort, LocalPlatform, PLATFORM_SERVICES, ServiceProcess } from '@slipway/local-runtime';
import { redisOptionsFromUrl } from '@slipway/queue';
import { removeQueuePrefix, RunWaiter, startStepWorkerStubs, startTestRedis, uniqueQueuePrefix } from '@slipway/testing';
import { Queue } from 'bullmq';
import { CleanupStack } from '../serving/cleanup-stack';
import { summarizeLatencies, type LatencySummary } from '../serving/latency-summary';

const WORKSPACE_ROOT = resolve(__dirname, '../..');
const RESULTS_DIR = join(WORKSPACE_ROOT, 'bench/results');
/** 250 runs of the four-step shorthand pipeline: 1,000 steps. */
const OVERHEAD_RUNS = 250;
const FAN_OUT = 200;
const FAN_OUT_WORKERS = 8;

type ServiceName = (typeof PLATFORM_SERVICES)[number];

const noOpPipeline = (name: string): PipelineSpecInput => ({
  name,
  model: { name: 'bench-model', spec: { layers: [{ type: 'dense', units: 4 }], epochs: 1 } },
  dataset: { uri: 'data/iris.csv', labelColumn: 'species' },
  promotion: { alias: 'staging', minTestAccuracy: 0 },
});

const fanOutPipeline = (): PipelineSpecInput => ({
  name: 'bench-fan-out',
  steps: [
    { name: 'prepare', kind: 'prepare', params: { dataset: { uri: 'data/iris.csv', labelColumn: 'species' } } },
    {
      name: 'train',
      kind: 'train',
      inputs: { dataset: 'prepare' },
      params: { model: { layers: [{ type: 'dense', units: 4 }], epochs: 1, seed: 0 }, grid: { seed: Array.from({ length: FAN_OUT }, (_, i) => i) } },
    },
    { name: 'pick', kind: 'evaluate', inputs: { models: 'train' } },
    { name: 'register', kind: 'register', inputs: { model: 'pick' }, params: { model: 'bench-fan-out' } },
  ],
});

interface OverheadResult {
  steps: number;
  /** Step job added to its queue (BullMQ's timestamp) → a worker started it (processedOn). */
  enqueueToStart: LatencySummary;
  /** The step it depends on finished → this step started: the step-finished hop, the engine's decision and the pickup. */
  handoff: LatencySummary;
}

async function main(): Promise<void> {
  const cleanup = new CleanupStack();
  const loadAverageAtStart = loadavg()[0] ?? 0;
  try {
    const redis = await startTestRedis();
    cleanup.push('stop Redis', () => redis.stop());
    const stateDir = await mkdtemp(join(tmpdir(), 'slipway-bench-pipelines-'));
    cleanup.push('remove the state directory', () => rm(stateDir, { recursive: true, force: true }));

    const orchestration = await measureOrchestration(redis.url, join(stateDir, 'orchestration'), cleanup);
    const cachedRerun = await measureCachedRerun(redis.url, join(stateDir, 'demo'), cleanup);

    const result = {
      benchmark: 'pipelines',
      startedAt: new Date().toISOString(),
      code: { commit: execSync('git rev-parse HEAD', { cwd: WORKSPACE_ROOT }).toString().trim(), uncommittedChanges: execSync('git status --porcelain', { cwd: WORKSPACE_ROOT }).toString().trim() !== '' },
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageAtStart },
      caveats: [
        'Redis, the registry, the step workers and the bench share the machine.',
        'Orchestration figures use workers that return at once (the steps are no-ops), so they measure what the platform adds around a step.',
      ],
      overhead: orchestration.overhead,
      fanOut: orchestration.fanOut,
      cachedRerun,
      targets: [
        { name: 'scheduling overhead p50 ≤ 5 ms (enqueue → step start)', value: orchestration.overhead.enqueueToStart.p50Ms, met: orchestration.overhead.enqueueToStart.p50Ms <= 5 },
        { name: 'cached re-run ≥ 10× faster than the first run', value: cachedRerun.speedup, met: cachedRerun.speedup >= 10 },
      ],
    };
    await mkdir(RESULTS_DIR, { recursive: true });
    await writeFile(join(RESULTS_DIR, 'pipelines.json'), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(join(RESULTS_DIR, 'pipelines.md'), renderMarkdown(result));
    console.log(await readFile(join(RESULTS_DIR, 'pipelines.md'), 'utf8'));
  } finally {
    await cleanup.runAll();
  }
}

/** The registry alone, with no-op data-prep and training workers: 1,000 sequential steps, then a fan-out of 200. */
async function measureOrchestration(redisUrl: string, stateDir: string, cleanup: CleanupStack) {
  const prefix = uniqueQueuePrefix();
  cleanup.push('remove the orchestration queues', () => removeQueuePrefix(redisUrl, prefix));
  const registry = new ServiceProcess({
    name: 'model-registry',
    entry: builtEntryOf(WORKSPACE_ROOT, 'model-registry'),
    port: await findFreePort(),
    env: {
      HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      SLIPWAY_QUEUE_PREFIX: prefix,
      SLIPWAY_ARTIFACTS: join(stateDir, 'artifacts'),
      SLIPWAY_DATABASE_URL: `sqlite:${join(stateDir, 'registry.db')}`,
      LOG_LEVEL: 'warn',
    },
    logFile: join(stateDir, 'logs', 'model-registry.log'),
    cwd: WORKSPACE_ROOT,
  });
  await registry.start();
  cleanup.push('stop the registry', async () => void (await registry.stop()));
  await registry.waitUntilReady(60_000);
  const workers = startStepWorkerStubs({ connection: redisOptionsFromUrl(redisUrl), prefix, trainingConcurrency: FAN_OUT_WORKERS });
  cleanup.push('close the no-op workers', async () => void (await Promise.all(workers.map((worker) => worker.close()))));
  const waiter = new RunWaiter(registry.baseUrl, redisOptionsFromUrl(redisUrl), prefix);
  cleanup.push('close the run waiter', () => waiter.close());
  await waiter.ready();

  // Warm-up: the first run pays for connections and JIT.
  for (let i = 0; i < 5; i++) await waiter.finished((await waiter.submit({ pipeline: noOpPipeline('bench-warm-up'), noCache: true })).id);

  const runIds: string[] = [];
  for (let i = 0; i < OVERHEAD_RUNS; i++) {
    const run = await waiter.submit({ pipeline: noOpPipeline('bench-overhead'), noCache: true });
    const finished = await waiter.finished(run.id);
    if (finished.status !== 'succeeded') throw new Error(`run ${run.id} ${finished.status}: ${finished.error}`);
    runIds.push(run.id);
  }
  const overhead = await collectOverhead(redisUrl, prefix, runIds);

  const startedAt = performance.now();
  const submitted = await waiter.submit({ pipeline: fanOutPipeline(), noCache: true });
  const fanned = await waiter.finished(submitted.id, 300_000);
  const wallMs = performance.now() - startedAt;
  if (fanned.status !== 'succeeded') throw new Error(`fan-out run ${fanned.id} ${fanned.status}: ${fanned.error}`);
  const trainings = fanned.steps.filter((step) => step.kind === 'train');
  return {
    overhead,
    fanOut: {
      trainings: trainings.length,
      workers: FAN_OUT_WORKERS,
      steps: fanned.steps.length,
      endToEndMs: Math.round(wallMs),
      stepsPerSecond: Math.round((fanned.steps.length / wallMs) * 1000),
    },
  };
}

async function collectOverhead(redisUrl: string, prefix: string, runIds: readonly string[]): Promise<OverheadResult> {
  const connection = redisOptionsFromUrl(redisUrl);
  const queues = Object.fromEntries([dataPrepQueue, trainingQueue, registrationQueue].map((q) => [q.name, new Queue(q.name, { connection, prefix })]));
  const chain = [
    ['prepare', dataPrepQueue.name],
    ['train', trainingQueue.name],
    ['register', registrationQueue.name],
    ['promote', registrationQueue.name],
  ] as const;
  const enqueueToStart: number[] = [];
  const handoff: number[] = [];
  try {
    for (const runId of runIds) {
      let previousFinishedOn: number | undefined;
      for (const [step, queue] of chain) {
        const job = await queues[queue]?.getJob(stepJobId(runId, step, 0));
        if (!job?.processedOn || !job.finishedOn) throw new Error(`job ${stepJobId(runId, step, 0)} on ${queue} is gone or unfinished`);
        enqueueToStart.push(job.processedOn - job.timestamp);
        if (previousFinishedOn !== undefined) handoff.push(job.processedOn - previousFinishedOn);
        previousFinishedOn = job.finishedOn;
      }
    }
  } finally {
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
  }
  return { steps: enqueueToStart.length, enqueueToStart: summarizeLatencies(enqueueToStart), handoff: summarizeLatencies(handoff) };
}

/** The five services for real: the demo pipeline, then the same pipeline again, whose steps all come from the cache. */
async function measureCachedRerun(redisUrl: string, stateDir: string, cleanup: CleanupStack) {
  const prefix = uniqueQueuePrefix();
  cleanup.push('remove the demo queues', () => removeQueuePrefix(redisUrl, prefix));
  const ports = Object.fromEntries(await Promise.all(PLATFORM_SERVICES.map(async (name) => [name, await findFreePort()] as const))) as Record<ServiceName, number>;
  const platform = new LocalPlatform({ workspaceRoot: WORKSPACE_ROOT, redisUrl, ports, stateDir, queuePrefix: prefix, env: { LOG_LEVEL: 'warn' } });
  await platform.start();
  cleanup.push('stop the platform', () => platform.stop());
  const waiter = new RunWaiter(platform.url('model-registry'), redisOptionsFromUrl(redisUrl), prefix);
  cleanup.push('close the demo run waiter', () => waiter.close());
  await waiter.ready();
  const pipeline = JSON.parse(await readFile(join(WORKSPACE_ROOT, 'pipelines/iris.pipeline.json'), 'utf8')) as PipelineSpecInput;
  const first = await timedRun(waiter, pipeline);
  const second = await timedRun(waiter, pipeline);
  return {
    pipeline: 'pipelines/iris.pipeline.json',
    firstRunMs: first.ms,
    cachedRunMs: second.ms,
    speedup: Math.round((first.ms / second.ms) * 10) / 10,
    cachedRunSteps: Object.fromEntries(second.run.steps.map((step) => [step.name, step.cache.cachedFrom ? `${step.status} from ${step.cache.cachedFrom.runId}` : step.status])),
  };
}

/** Submit → finished as the bench saw it (what a user waits for), not the registry's own timestamps. */
async function timedRun(waiter: RunWaiter, pipeline: PipelineSpecInput): Promise<{ ms: number; run: Run }> {
  const startedAt = performance.now();
  const submitted = await waiter.submit({ pipeline });
  const run = await waiter.finished(submitted.id, 180_000);
  if (run.status !== 'succeeded') throw new Error(`demo run ${run.id} ${run.status}: ${run.error}`);
  return { ms: Math.round(performance.now() - startedAt), run };
}

function renderMarkdown(result: {
  startedAt: string;
  machine: { cpus: number; loadAverageAtStart: number };
  overhead: OverheadResult;
  fanOut: { trainings: number; workers: number; steps: number; endToEndMs: number; stepsPerSecond: number };
  cachedRerun: { firstRunMs: number; cachedRunMs: number; speedup: number; cachedRunSteps: Record<string, string> };
  targets: { name: string; value: number; met: boolean }[];
}): string {
  const { overhead, fanOut, cachedRerun } = result;
  const latency = (s: LatencySummary) => `${s.p50Ms} | ${s.p99Ms} | ${s.maxMs}`;
  return [
    `# Pipelines bench (${result.startedAt}, ${result.machine.cpus} cores, load ${result.machine.loadAverageAtStart.toFixed(2)} at start)`,
    '',
    `| ${overhead.steps} no-op steps (250 runs × 4) | p50 ms | p99 ms | max ms |`,
    '|---|---|---|---|',
    `| enqueue → step start | ${latency(overhead.enqueueToStart)} |`,
    `| previous step finished → step start | ${latency(overhead.handoff)} |`,
    '',
    '| run | figure |',
    '|---|---|',
    `| fan-out of ${fanOut.trainings} trivial trainings (${fanOut.workers} workers), ${fanOut.steps} steps, end to end | ${fanOut.endToEndMs} ms (${fanOut.stepsPerSecond} steps/s) |`,
    `| demo pipeline, first run (submit → finished) | ${cachedRerun.firstRunMs} ms |`,
    `| demo pipeline, second run, cached | ${cachedRerun.cachedRunMs} ms (${cachedRerun.speedup}× faster) |`,
    '',
    `Cached run's steps: ${Object.entries(cachedRerun.cachedRunSteps).map(([step, status]) => `${step} ${status}`).join('; ')}`,
    '',
    ...result.targets.map((target) => `- ${target.met ? 'met' : 'NOT met'}: ${target.name} (${target.value})`),
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
