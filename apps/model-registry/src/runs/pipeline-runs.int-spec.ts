import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheExplanationSchema, eventsQueue, FINISHED_STEP_STATUSES, runSchema, runTrainingCurvesSchema, stepStatusChangedEventSchema, type PipelineSpecInput, type Run } from '@slipway/contracts';
import type { ServiceProcess } from '@slipway/local-runtime';
import { redisOptionsFromUrl } from '@slipway/queue';
import { removeQueuePrefix, RunWaiter, startStepWorkerStubs, startTestRedis, uniqueQueuePrefix, type TestRedis } from '@slipway/testing';
import { Queue, type Job, type Worker } from 'bullmq';
import { registryTestEnv, startRegistry } from '../testing/start-registry';

/** Seeds that script the stub trainer: fail twice then succeed, or fail for good while the flag is up. */
const FLAKY_SEED = 13;
const BROKEN_SEED = 666;

const shorthand = (name: string, seed = 1, retry?: { attempts: number; backoffMs: number }): PipelineSpecInput => ({
  name,
  steps: [
    { name: 'prepare', kind: 'prepare', params: { dataset: { uri: 'data/iris.csv', labelColumn: 'species' } } },
    { name: 'train', kind: 'train', inputs: { dataset: 'prepare' }, params: { model: { layers: [{ type: 'dense', units: 4 }], epochs: 1, seed } }, ...(retry ? { retry } : {}) },
    { name: 'register', kind: 'register', inputs: { model: 'train' }, params: { model: name } },
    { name: 'promote', kind: 'promote', inputs: { version: 'register' }, params: { alias: 'staging' }, when: { metric: 'testAccuracy', op: '>=', value: 0 } },
  ],
});

describe('pipeline runs over HTTP, executed as BullMQ flows on a real Redis', () => {
  let redis: TestRedis;
  let prefix: string;
  let stateDir: string;
  let registry: ServiceProcess;
  let workers: Worker[];
  let waiter: RunWaiter;
  let brokenSeedFails = true;

  beforeAll(async () => {
    redis = await startTestRedis();
    prefix = uniqueQueuePrefix();
    stateDir = await mkdtemp(join(tmpdir(), 'slipway-pipeline-runs-'));
    registry = await startRegistry(
      {
        ...registryTestEnv(redis.url, prefix, stateDir),
        SLIPWAY_TEAM_QUOTAS: JSON.stringify({ vision: { maxGpus: 2 }, '*': {} }),
      },
      join(stateDir, 'model-registry.log'),
    );
    const connection = redisOptionsFromUrl(redis.url);
    workers = startStepWorkerStubs({
      connection,
      prefix,
      failure: (job: Job) => {
        const seed = (job.data as { modelSpec?: { seed?: number } }).modelSpec?.seed;
        if (seed === FLAKY_SEED && job.attemptsMade < 2) return `flaky trainer, attempt ${job.attemptsMade + 1}`;
        if (seed === BROKEN_SEED && brokenSeedFails) return { permanent: 'the trainer is broken' };
        return undefined;
      },
    });
    waiter = new RunWaiter(registry.baseUrl, connection, prefix);
    await waiter.ready();
  });

  afterAll(async () => {
    await waiter?.close();
    await Promise.all((workers ?? []).map((worker) => worker.close()));
    await registry?.stop();
    if (redis) {
      await removeQueuePrefix(redis.url, prefix);
      await redis.stop();
    }
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${registry.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const statuses = (run: Run) => Object.fromEntries(run.steps.map((step) => [step.name, step.status]));
  const runTo = async (body: unknown) => waiter.finished((await waiter.submit(body)).id);

  it('runs every step in order and promotes the registered version', async () => {
    const run = await runTo({ pipeline: shorthand('flow-order') });
    expect(run.status).toBe('succeeded');
    expect(statuses(run)).toEqual({ prepare: 'succeeded', train: 'succeeded', register: 'succeeded', promote: 'succeeded' });
    const startedAt = (name: string) => Date.parse(run.steps.find((step) => step.name === name)?.startedAt ?? '');
    const finishedAt = (name: string) => Date.parse(run.steps.find((step) => step.name === name)?.finishedAt ?? '');
    expect(startedAt('train')).toBeGreaterThanOrEqual(finishedAt('prepare'));
    expect(startedAt('register')).toBeGreaterThanOrEqual(finishedAt('train'));
    expect(run.modelVersion).toEqual({ model: 'flow-order', version: 1 });
    expect(run.promotedTo).toBe('staging');
  });

  it('reuses every cacheable step on an identical run, says where from, and runs them again when asked not to', async () => {
    const first = await runTo({ pipeline: shorthand('flow-cache', 2) });
    const second = await runTo({ pipeline: shorthand('flow-cache', 2) });
    expect(statuses(second)).toEqual({ prepare: 'cached', train: 'cached', register: 'cached', promote: 'succeeded' });
    // The first run's own steps may come from an earlier test's run (the same data set is prepared there): the producer counts.
    const producerOf = (run: Run, step: string) => run.steps.find((s) => s.name === step)?.cache.cachedFrom ?? { runId: run.id, step };
    for (const step of ['prepare', 'train', 'register']) expect(second.steps.find((s) => s.name === step)?.cache.cachedFrom).toEqual(producerOf(first, step));
    expect(first.steps.find((s) => s.name === 'train')?.status).toBe('succeeded');
    expect(second.modelVersion).toEqual(first.modelVersion);

    const explained = await call('GET', `/api/runs/${second.id}/steps/train/cache`);
    expect(explained.status).toBe(200);
    expect(cacheExplanationSchema.parse(explained.body).hit).toMatchObject({ runId: first.id, step: 'train' });

    const third = await runTo({ pipeline: shorthand('flow-cache', 2), noCache: ['train'] });
    expect(statuses(third)).toMatchObject({ prepare: 'cached', train: 'succeeded' });
    expect(cacheExplanationSchema.parse((await call('GET', `/api/runs/${third.id}/steps/train/cache`)).body).bypassed).toContain('--no-cache train');
  });

  it('publishes each step status it records on the events queue, cached steps included, stamped with when it recorded them', async () => {
    await runTo({ pipeline: shorthand('flow-events', 3) });
    const rerun = await runTo({ pipeline: shorthand('flow-events', 3) });
    const events = new Queue(eventsQueue.name, { connection: redisOptionsFromUrl(redis.url), prefix });
    try {
      // Nothing consumes the events queue in this test, so every event is still waiting. Events are published after
      // their commit, possibly out of order (a step's start and its end race to the queue): `at` orders them, and at
      // the same instant the finished status is the later one, which is how monitoring reads them.
      const finished = (event: { status: string }) => (FINISHED_STEP_STATUSES as readonly string[]).includes(event.status);
      const published = (await events.getJobs(['waiting'], 0, -1))
        .filter((job) => job.name === 'step-status-changed')
        .map((job) => stepStatusChangedEventSchema.parse(job.data))
        .filter((event) => event.runId === rerun.id)
        .sort((a, b) => a.at.localeCompare(b.at) || Number(finished(a)) - Number(finished(b)));
      const last = new Map(published.map((event) => [event.step, event.status]));
      expect(Object.fromEntries(last)).toEqual(statuses(rerun));
      expect(published.filter((event) => event.status === 'cached').map((event) => event.step).sort()).toEqual(['prepare', 'register', 'train']);
      expect(published.every((event) => event.pipelineName === 'flow-events')).toBe(true);
    } finally {
      await events.close();
    }
  });

  it('retries a failing step with backoff and records its attempts', async () => {
    const run = await runTo({ pipeline: shorthand('flow-retry', FLAKY_SEED, { attempts: 3, backoffMs: 10 }), noCache: true });
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((step) => step.name === 'train')).toMatchObject({ status: 'succeeded', attempts: 3 });
  });

  it('fails a run at its failed step, and resumes it from there reusing what succeeded', async () => {
    brokenSeedFails = true;
    const failed = await runTo({ pipeline: shorthand('flow-resume', BROKEN_SEED), noCache: true });
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('train: the trainer is broken');
    expect(statuses(failed)).toEqual({ prepare: 'succeeded', train: 'failed', register: 'pending', promote: 'pending' });

    brokenSeedFails = false;
    const resumed = await call('POST', `/api/runs/${failed.id}/resume`);
    expect(resumed.status).toBe(200);
    expect(runSchema.parse(resumed.body).resumes).toBe(1);
    const finished = await waiter.finished(failed.id);
    expect(finished.status).toBe('succeeded');
    expect(finished.steps.find((step) => step.name === 'prepare')).toEqual(failed.steps.find((step) => step.name === 'prepare'));
    expect(finished.steps.find((step) => step.name === 'train')).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('refuses to resume a run that has not failed', async () => {
    const run = await runTo({ pipeline: shorthand('flow-no-resume') });
    const answer = await call('POST', `/api/runs/${run.id}/resume`);
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({ error: `run "${run.id}" is succeeded; only a failed run can be resumed` });
  });

  it('rejects before queueing anything a training over its team GPU quota, and no-cache of a step the pipeline lacks', async () => {
    const greedy = shorthand('flow-greedy');
    const steps = (greedy.steps ?? []).map((step) => (step.kind === 'train' ? { ...step, params: { ...step.params, gpus: 3 } } : step));
    const overQuota = await call('POST', '/api/runs', { pipeline: { ...greedy, team: 'vision', steps } });
    expect(overQuota.status).toBe(400);
    expect((overQuota.body as { error: string }).error).toMatch(/pipeline\.steps\.1\.params\.gpus.*quota of 2/);

    const unknown = await call('POST', '/api/runs', { pipeline: shorthand('flow-unknown'), noCache: ['evaluate'] });
    expect(unknown.status).toBe(400);
    expect((unknown.body as { error: string }).error).toContain('noCache.0');

    const runs = (await call('GET', '/api/runs?limit=1000')).body as { runs: Run[] };
    expect(runs.runs.map((run) => run.pipelineName)).not.toEqual(expect.arrayContaining(['flow-greedy', 'flow-unknown']));
  });

  it('serves the curve of every training of a run, and 404 naming a run it does not know', async () => {
    const run = await runTo({ pipeline: shorthand('flow-curves') });
    const curves = await call('GET', `/api/runs/${run.id}/curves`);
    expect(curves.status).toBe(200);
    // The training may be cached from an earlier test's run of the same data and model spec.
    const { status } = run.steps.find((step) => step.name === 'train') ?? {};
    expect(runTrainingCurvesSchema.parse(curves.body)).toEqual({ runId: run.id, trainings: [{ step: 'train', grid: null, status, epochs: run.epochs }] });

    const unknown = await call('GET', '/api/runs/run-20260101-000000000-nosuchrn/curves');
    expect(unknown.status).toBe(404);
    expect((unknown.body as { error: string }).error).toContain('run-20260101-000000000-nosuchrn');
  });

  it('answers 404 for the cache explanation of a step the run does not have', async () => {
    const run = await runTo({ pipeline: shorthand('flow-explain') });
    expect((await call('GET', `/api/runs/${run.id}/steps/evaluate/cache`)).status).toBe(404);
  });
});
