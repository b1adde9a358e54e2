import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SERVICE_CONFIG } from '@slipway/config';
import { dataPrepQueue } from '@slipway/contracts';
import { HealthService } from '@slipway/observability';
import { producerToken, REQUEST_REDIS, type TypedProducer } from '@slipway/queue';
import { ARTIFACT_STORE, type ArtifactStore } from '@slipway/storage';
import { removeQueuePrefix, startTestRedis, uniqueQueuePrefix, type TestRedis } from '@slipway/testing';
import type { Redis } from 'ioredis';
import { ServiceModule, type ServiceModuleOptions } from './service.module';

describe('ServiceModule against a real Redis', () => {
  let redis: TestRedis;
  let root: string;
  let app: INestApplicationContext | undefined;
  const prefix = uniqueQueuePrefix();

  beforeAll(async () => {
    redis = await startTestRedis();
    root = await mkdtemp(join(tmpdir(), 'slipway-service-kit-'));
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    await removeQueuePrefix(redis.url, prefix);
    await redis.stop();
    await rm(root, { recursive: true, force: true });
  });

  async function boot(artifactsLocation: string, options: ServiceModuleOptions): Promise<INestApplicationContext> {
    const config = { REDIS_URL: redis.url, SLIPWAY_QUEUE_PREFIX: prefix, SLIPWAY_ARTIFACTS: artifactsLocation };
    const moduleRef = await Test.createTestingModule({ imports: [ServiceModule.forService('data-prep', config, options)] }).compile();
    moduleRef.useLogger(false);
    app = await moduleRef.init();
    // Readiness pings Redis over the fail-fast request connection: judge it once that connection is up.
    const requests = app.get<Redis>(REQUEST_REDIS);
    if (requests.status !== 'ready') await once(requests, 'ready');
    return app;
  }

  /** A store root that cannot be created: its parent is a file. Reads fail with "not found", writes fail. */
  async function unwritableLocation(): Promise<string> {
    const file = join(root, `not-a-directory-${Math.random()}`);
    await writeFile(file, '');
    return join(file, 'artifacts');
  }

  it("'rw' injects the store and makes its writability part of readiness", async () => {
    const writable = await boot(join(root, 'rw-artifacts'), { artifacts: 'rw' });
    const ref = await writable.get<ArtifactStore>(ARTIFACT_STORE).putJson({ ok: true }, 'application/json');
    expect(await writable.get<ArtifactStore>(ARTIFACT_STORE).has(ref.digest)).toBe(true);
    expect(await writable.get(HealthService).readiness()).toEqual({ ready: true, checks: { redis: 'ok', artifacts: 'ok' } });
    await writable.close();

    const unwritable = await boot(await unwritableLocation(), { artifacts: 'rw' });
    const report = await unwritable.get(HealthService).readiness();
    expect(report.ready).toBe(false);
    expect(report.checks['redis']).toBe('ok');
    expect(report.checks['artifacts']).toMatch(/ENOTDIR|not a directory/i);
  });

  it("'ro' injects the store without a writability check", async () => {
    const location = await unwritableLocation();
    const readOnly = await boot(location, { artifacts: 'ro' });
    expect(readOnly.get<ArtifactStore>(ARTIFACT_STORE).location).toBe(location);
    expect(await readOnly.get(HealthService).readiness()).toEqual({ ready: true, checks: { redis: 'ok' } });
  });

  it('provides no store when the service asks for none', async () => {
    const context = await boot(join(root, 'unused'), {});
    expect(() => context.get(ARTIFACT_STORE)).toThrow();
    expect(Object.keys((await context.get(HealthService).readiness()).checks)).toEqual(['redis']);
  });

  it('registers each queue with its producer and provides the configuration', async () => {
    const context = await boot(join(root, 'queues'), { queues: [dataPrepQueue] });
    const producer = context.get<TypedProducer<typeof dataPrepQueue>>(producerToken(dataPrepQueue));
    const jobId = await producer.add('prepare-dataset', { runId: 'run-kit', step: 'prepare', source: { uri: 'data/iris.csv', labelColumn: 'species' } });
    expect((await producer.queue.getJob(jobId))?.name).toBe('prepare-dataset');
    expect(producer.queue.opts.prefix).toBe(prefix);
    expect(context.get(SERVICE_CONFIG)).toMatchObject({ REDIS_URL: redis.url, SLIPWAY_QUEUE_PREFIX: prefix });
  });
});
