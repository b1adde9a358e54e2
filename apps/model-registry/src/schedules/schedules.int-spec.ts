import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSchema, scheduledRunResultSchema, scheduleListResponseSchema, scheduleSchema, schedulesQueue, type Schedule, type ScheduledRunResult } from '@slipway/contracts';
import type { ServiceProcess } from '@slipway/local-runtime';
import { redisOptionsFromUrl } from '@slipway/queue';
import { removeQueuePrefix, startTestRedis, uniqueQueuePrefix, type TestRedis } from '@slipway/testing';
import { Queue, QueueEvents } from 'bullmq';
import { registryTestEnv, startRegistry, WORKSPACE_ROOT } from '../testing/start-registry';

/**
 * Resolves with the results of the next `count` firings of the schedule due at `notBefore` (epoch ms) or later,
 * in order; rejects on a failed one. A firing's job id is `repeat:<schedule>:<due millis>`.
 */
function nextFirings(events: QueueEvents, schedule: string, count: number, notBefore = 0): Promise<(ScheduledRunResult & { jobId: string })[]> {
  const idPrefix = `repeat:${schedule}:`;
  const ofSchedule = (jobId: string) => jobId.startsWith(idPrefix) && Number(jobId.slice(idPrefix.length)) >= notBefore;
  return new Promise((resolvePromise, reject) => {
    const results: (ScheduledRunResult & { jobId: string })[] = [];
    const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
      if (!ofSchedule(jobId)) return;
      const value = typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue;
      results.push({ ...scheduledRunResultSchema.parse(value), jobId });
      if (results.length === count) {
        stop();
        resolvePromise(results);
      }
    };
    const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
      if (!ofSchedule(jobId)) return;
      stop();
      reject(new Error(`firing ${jobId} failed: ${failedReason}`));
    };
    const stop = () => {
      events.off('completed', onCompleted);
      events.off('failed', onFailed);
    };
    events.on('completed', onCompleted);
    events.on('failed', onFailed);
  });
}

/** Resolves when the next job of the schedule is put in the delayed set: its scheduler was (re)installed. */
function nextDelayedJob(events: QueueEvents, schedule: string): Promise<string> {
  return new Promise((resolvePromise) => {
    const onDelayed = ({ jobId }: { jobId: string }) => {
      if (!jobId.startsWith(`repeat:${schedule}:`)) return;
      events.off('delayed', onDelayed);
      resolvePromise(jobId);
    };
    events.on('delayed', onDelayed);
  });
}

describe('schedules over HTTP, with BullMQ job schedulers on a real Redis', () => {
  let redis: TestRedis;
  let prefix: string;
  let stateDir: string;
  let env: Record<string, string>;
  let registry: ServiceProcess;
  let queue: Queue;
  let events: QueueEvents;
  let pipeline: unknown;

  beforeAll(async () => {
    redis = await startTestRedis();
    prefix = uniqueQueuePrefix();
    stateDir = await mkdtemp(join(tmpdir(), 'slipway-schedules-'));
    env = {
      ...registryTestEnv(redis.url, prefix, stateDir),
      SLIPWAY_SCHEDULE_RECONCILE_MS: '250',
    };
    pipeline = JSON.parse(await readFile(join(WORKSPACE_ROOT, 'pipelines/iris.pipeline.json'), 'utf8'));
    const connection = redisOptionsFromUrl(redis.url);
    queue = new Queue(schedulesQueue.name, { connection, prefix });
    events = new QueueEvents(schedulesQueue.name, { connection, prefix });
    await events.waitUntilReady();
    registry = await startRegistry(env, join(stateDir, 'model-registry.log'));
  });

  afterAll(async () => {
    await registry?.stop();
    await events?.close();
    await queue?.close();
    if (redis) {
      await removeQueuePrefix(redis.url, prefix);
      await redis.stop();
    }
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${registry.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function schedule(method: string, path: string, body?: unknown): Promise<Schedule> {
    const response = await call(method, path, body);
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return scheduleSchema.parse(JSON.parse(text));
  }

  async function errorOf(response: Response, status: number): Promise<string> {
    expect(response.status).toBe(status);
    return ((await response.json()) as { error: string }).error;
  }

  it.each([
    ['a bad cron expression', { cron: '61 * * * *' }, 'body.cron'],
    ['an unknown time zone', { cron: '0 3 * * *', timezone: 'Mars/Olympus_Mons' }, 'body.timezone'],
    ['both cron and every', { cron: '0 3 * * *', every: '1h' }, 'body.every'],
    ['an interval below one second', { every: '500ms' }, 'body.every'],
    ['a bad pipeline', { every: '1h', pipeline: { name: 'broken' } }, 'body.pipeline'],
  ])('answers 400 naming the field for %s, and creates nothing', async (_what, fields, field) => {
    const error = await errorOf(await call('POST', '/api/schedules', { name: 'rejected', pipeline, ...fields }), 400);
    expect(error).toContain(field);
    await errorOf(await call('GET', '/api/schedules/rejected'), 404);
  });

  it('answers 404 naming an unknown schedule, for every verb', async () => {
    for (const [method, path] of [['GET', ''], ['POST', '/pause'], ['POST', '/resume'], ['DELETE', '']] as const) {
      expect(await errorOf(await call(method, `/api/schedules/no-such-schedule${path}`), 404)).toContain('no-such-schedule');
    }
  });

  it('fires an interval schedule into runs, stops when paused, fires again when resumed, and is gone when deleted', async () => {
    const firstTwo = nextFirings(events, 'every-second', 2);
    const created = await schedule('POST', '/api/schedules', { name: 'every-second', pipeline, every: '1s', experiment: 'scheduled' });
    expect(created).toMatchObject({ name: 'every-second', every: 1_000, cron: null, paused: false, experiment: 'scheduled', pipelineName: 'iris-demo' });
    expect(created.nextRunAt).not.toBeNull();

    const firings = await firstTwo;
    expect(firings.map((f) => f.outcome)).toEqual(['submitted', 'submitted']);
    expect(new Set(firings.map((f) => f.jobId)).size).toBe(2);
    expect(new Set(firings.map((f) => f.runId)).size).toBe(2);
    for (const { runId } of firings) {
      const response = await call('GET', `/api/runs/${runId}`);
      expect(response.status).toBe(200);
      expect(runSchema.parse(await response.json())).toMatchObject({ id: runId, pipelineName: 'iris-demo' });
    }

    const paused = await schedule('POST', '/api/schedules/every-second/pause');
    expect(paused).toMatchObject({ paused: true, nextRunAt: null, every: 1_000 });
    expect(await queue.getJobScheduler('every-second')).toBeUndefined();
    expect((await queue.getDelayed()).map((job) => job.id).filter((id) => id?.startsWith('repeat:every-second:'))).toEqual([]);
    expect(paused.lastRunId).not.toBeNull();

    // A firing already under way when the pause landed may still complete; only those due after the resume count.
    const afterResume = nextFirings(events, 'every-second', 1, Date.now());
    const resumed = await schedule('POST', '/api/schedules/every-second/resume');
    expect(resumed).toMatchObject({ paused: false, every: 1_000 });
    expect(resumed.nextRunAt).not.toBeNull();
    expect(await queue.getJobScheduler('every-second')).toMatchObject({ every: 1_000 });
    const [again] = await afterResume;
    expect(again?.outcome).toBe('submitted');
    expect(firings.map((f) => f.runId)).not.toContain(again?.runId);

    const deleted = await call('DELETE', '/api/schedules/every-second');
    expect(deleted.status).toBe(204);
    await errorOf(await call('GET', '/api/schedules/every-second'), 404);
    expect(await queue.getJobScheduler('every-second')).toBeUndefined();
  });

  it('answers 409 for a name that is taken, keeping the first definition', async () => {
    const first = await schedule('POST', '/api/schedules', { name: 'weekly', pipeline, cron: '0 4 * * 1' });
    expect(await errorOf(await call('POST', '/api/schedules', { name: 'weekly', pipeline, every: '1h' }), 409)).toContain('weekly');
    expect(await schedule('GET', '/api/schedules/weekly')).toEqual(first);
  });

  it('puts back a trigger Redis lost while the registry runs, without a restart', async () => {
    const installed = nextDelayedJob(events, 'monthly');
    await schedule('POST', '/api/schedules', { name: 'monthly', pipeline, cron: '0 5 1 * *' });
    await installed;

    const reinstalled = nextDelayedJob(events, 'monthly');
    await queue.removeJobScheduler('monthly');
    await reinstalled;
    expect(await queue.getJobScheduler('monthly')).toMatchObject({ key: 'monthly', pattern: '0 5 1 * *' });
    expect((await call('DELETE', '/api/schedules/monthly')).status).toBe(204);
  });

  it('heals BullMQ after a Redis flush on restart: active schedules get their trigger back, paused and unknown ones lose theirs', async () => {
    const nightly = await schedule('POST', '/api/schedules', { name: 'nightly', pipeline, cron: '0 3 * * *', timezone: 'Europe/Berlin' });
    await schedule('POST', '/api/schedules/weekly/pause');

    await registry.stop();
    await removeQueuePrefix(redis.url, prefix);
    // Triggers the database does not know as active: a paused schedule's and one nobody defined.
    await queue.upsertJobScheduler('weekly', { pattern: '0 4 * * 1' }, { name: 'scheduled-run', data: { scheduleId: 'weekly' } });
    await queue.upsertJobScheduler('ghost', { pattern: '0 0 1 1 *' }, { name: 'scheduled-run', data: { scheduleId: 'ghost' } });
    registry = await startRegistry(env, join(stateDir, 'model-registry-restarted.log'));

    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual(['nightly']);
    expect(schedulers[0]).toMatchObject({ pattern: '0 3 * * *', tz: 'Europe/Berlin' });

    const response = await call('GET', '/api/schedules');
    const { schedules } = scheduleListResponseSchema.parse(await response.json());
    expect(schedules.map((s) => [s.name, s.paused])).toEqual([
      ['nightly', false],
      ['weekly', true],
    ]);
    expect(schedules[0]).toEqual({ ...nightly, nextRunAt: new Date(schedulers[0]?.next ?? Number.NaN).toISOString() });
    expect(schedules[1]?.nextRunAt).toBeNull();
  });
});
