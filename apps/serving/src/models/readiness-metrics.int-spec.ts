import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DEFAULT_SERVING_ALIAS } from '@slipway/contracts';
import { ModelRepository } from '@slipway/inference';
import { ObservabilityModule } from '@slipway/observability';
import { FileArtifactStore } from '@slipway/storage';
import { sampleValue } from '@slipway/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { irisVersion } from '../testing/iris-version';
import { V2HealthController } from '../v2/v2-health.controller';
import { ReadinessMetrics } from './readiness-metrics';

// The names the alert rules query: a rename must fail here, not silently in Prometheus.
const SERVING_READY_METRIC = 'slipway_serving_ready';
const MODEL_READY_METRIC = 'slipway_model_ready';

describe('readiness gauges over real HTTP', () => {
  let root: string;
  let store: FileArtifactStore;
  let repository: ModelRepository;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-serving-readiness-'));
    store = new FileArtifactStore(join(root, 'artifacts'));
    repository = new ModelRepository(store);
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forService('serving')],
      controllers: [V2HealthController],
      providers: [{ provide: ModelRepository, useValue: repository }, ReadinessMetrics],
    }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await rm(root, { recursive: true, force: true });
  });

  /** What GET /v2/health/ready answers and what /metrics says at the same moment. */
  async function observe(): Promise<{ status: number; metrics: string }> {
    const { status } = await fetch(`${baseUrl}/v2/health/ready`);
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    return { status, metrics };
  }

  it(`${SERVING_READY_METRIC} follows /v2/health/ready, and ${MODEL_READY_METRIC} shows which model keeps it down`, async () => {
    let now = await observe();
    expect(now.status).toBe(503);
    expect(sampleValue(now.metrics, SERVING_READY_METRIC)).toBe(0);

    repository.setDesiredModels(['iris']);
    now = await observe();
    expect(now.status).toBe(503);
    expect(sampleValue(now.metrics, SERVING_READY_METRIC)).toBe(0);
    expect(sampleValue(now.metrics, MODEL_READY_METRIC, { model: 'iris', version: '', alias: DEFAULT_SERVING_ALIAS })).toBe(0);

    const version = await irisVersion(store, 1);
    await repository.load(version);
    repository.setAlias('iris', DEFAULT_SERVING_ALIAS, version.version);
    now = await observe();
    expect(now.status).toBe(200);
    expect(sampleValue(now.metrics, SERVING_READY_METRIC)).toBe(1);
    expect(sampleValue(now.metrics, MODEL_READY_METRIC, { model: 'iris', version: String(version.version), alias: DEFAULT_SERVING_ALIAS })).toBe(1);
    expect(sampleValue(now.metrics, MODEL_READY_METRIC, { model: 'iris', version: '' })).toBeUndefined();

    await repository.unload('iris', version.version);
    now = await observe();
    expect(now.status).toBe(503);
    expect(sampleValue(now.metrics, SERVING_READY_METRIC)).toBe(0);
    expect(sampleValue(now.metrics, MODEL_READY_METRIC, { model: 'iris', version: String(version.version) })).toBeUndefined();
    expect(sampleValue(now.metrics, MODEL_READY_METRIC, { model: 'iris', version: '', alias: DEFAULT_SERVING_ALIAS })).toBe(0);
  });
});
