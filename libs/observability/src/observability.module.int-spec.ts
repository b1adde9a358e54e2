import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { HealthService } from './health/health.service';
import { ObservabilityModule } from './observability.module';

describe('ObservabilityModule over real HTTP', () => {
  const service = 'probe-test-service';
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ObservabilityModule.forService(service)] }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers /healthz with 200', async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 while checks pass, then 503 naming the check that fails', async () => {
    const health = app.get(HealthService);
    health.register('cache', async () => undefined);
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(ready.status).toBe(200);

    health.register('database', async () => {
      throw new Error('database file is locked');
    });
    const notReady = await fetch(`${baseUrl}/readyz`);
    expect(notReady.status).toBe(503);
    const body = (await notReady.json()) as { checks: Record<string, string> };
    expect(body.checks['database']).toContain('database file is locked');
    expect(Object.keys(body.checks)).toContain('cache');
  });

  it('serves Prometheus text on /metrics with the service label on every series', async () => {
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const samples = (await response.text()).split('\n').filter((line) => line.length > 0 && !line.startsWith('#'));
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) expect(sample).toContain(`service="${service}"`);
  });
});
