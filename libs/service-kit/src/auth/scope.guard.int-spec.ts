import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Body, Controller, Get, HttpCode, Module, Post, type INestApplication } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Principal } from '@slipway/contracts';
import { ErrorResponseFilter } from '@slipway/observability';
import type { AuthPolicy } from './auth-policy';
import { authHttpErrors } from './auth-http-errors';
import { authProviders } from './auth-providers';
import { RegistryPrincipalResolver } from './registry-principal-resolver';
import { RequestPrincipal } from './request-principal.decorator';
import { AlwaysRequiresScope, InferenceRoute, RequiresScope } from './route-access';

const FEEDBACK_TOKEN = 'feedback-token-0123456789';
const INFER_TOKEN = 'infer-token-0123456789';

@Controller('api')
class ProbeController {
  @Post('feedback')
  @RequiresScope('feedback:write', 'send feedback')
  @HttpCode(200)
  feedback(@Body() body: unknown, @RequestPrincipal() principal: Principal | undefined): { by: string; body: unknown } {
    return { by: principal?.name ?? 'nobody', body };
  }

  @Post('infer')
  @InferenceRoute()
  @HttpCode(200)
  infer(): { ok: true } {
    return { ok: true };
  }

  @Post('admin-only')
  @AlwaysRequiresScope('admin', 'administer')
  @HttpCode(200)
  adminOnly(): { ok: true } {
    return { ok: true };
  }

  @Get('things')
  things(): string[] {
    return [];
  }
}

@Controller()
class UnguardedController {
  @Post('oops')
  oops(): string {
    return 'changed something, unguarded';
  }
}

/** A stand-in registry answering GET /api/auth/whoami as the real one does, counting the calls. */
async function startWhoamiRegistry(): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
  let calls = 0;
  const principals: Record<string, Principal> = {
    [FEEDBACK_TOKEN]: { name: 'labeller', scopes: ['feedback:write'], source: 'issued' },
    [INFER_TOKEN]: { name: 'app', scopes: ['infer'], source: 'issued' },
  };
  const server: Server = createServer((request, response) => {
    calls += 1;
    const principal = principals[(request.headers.authorization ?? '').replace(/^Bearer /, '')];
    response.writeHead(principal ? 200 : 401, { 'content-type': 'application/json' });
    response.end(JSON.stringify(principal ?? { error: 'the bearer token is not one the registry issued' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, calls: () => calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function startApp(policy: AuthPolicy, registryUrl: string, controllers: (new () => unknown)[] = [ProbeController]): Promise<INestApplication> {
  @Module({ imports: [DiscoveryModule], controllers, providers: authProviders({ policy, resolver: { useFactory: () => new RegistryPrincipalResolver({ registryUrl }) } }) })
  class ProbeModule {}
  const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  app.useGlobalFilters(new ErrorResponseFilter(authHttpErrors));
  await app.listen(0, '127.0.0.1');
  return app;
}

describe('ScopeGuard with tokens checked by the registry', () => {
  let registry: Awaited<ReturnType<typeof startWhoamiRegistry>>;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    registry = await startWhoamiRegistry();
  });
  afterAll(() => registry.close());
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const call = async (path: string, options: { token?: string; contentType?: string; method?: string } = {}) => {
    const url = `${await (app as INestApplication).getUrl()}${path}`.replace('[::1]', '127.0.0.1');
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(url, { method: options.method ?? 'POST', headers, body: options.method === 'GET' ? undefined : '{"x":1}' });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('asks for the route scope when writes need tokens, with 401 without a token and 403 with the wrong one', async () => {
    app = await startApp({ writes: true, reads: false, infer: false }, registry.url);
    expect(await call('/api/feedback')).toMatchObject({ status: 401, body: { error: expect.stringMatching(/send feedback needs Authorization: Bearer <token> with the scope feedback:write/) } });
    expect(await call('/api/feedback', { token: INFER_TOKEN })).toMatchObject({ status: 403, body: { error: expect.stringMatching(/token "app" lacks the scope feedback:write/) } });
    expect(await call('/api/feedback', { token: FEEDBACK_TOKEN })).toEqual({ status: 200, body: { by: 'labeller', body: { x: 1 } } });
    expect(await call('/api/feedback', { token: 'made-up-token-0000' })).toMatchObject({ status: 401, body: { error: expect.stringMatching(/not one the registry issued/) } });
  });

  it('asks the registry once per token while its answer is fresh', async () => {
    app = await startApp({ writes: true, reads: false, infer: false }, registry.url);
    const before = registry.calls();
    for (let i = 0; i < 5; i++) await call('/api/feedback', { token: FEEDBACK_TOKEN });
    expect(registry.calls() - before).toBe(1);
  });

  it('refuses form content types on writes, even with writes open, but lets inference take any content type', async () => {
    app = await startApp({ writes: false, reads: false, infer: false }, registry.url);
    expect((await call('/api/feedback', { contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await call('/api/feedback', { contentType: 'text/plain' })).status).toBe(415);
    expect((await call('/api/feedback')).status).toBe(200);
    expect((await call('/api/infer', { contentType: 'application/json' })).status).toBe(200);
  });

  it('asks for an always-required scope even with writes open', async () => {
    app = await startApp({ writes: false, reads: false, infer: false }, registry.url);
    expect(await call('/api/admin-only')).toMatchObject({ status: 401, body: { error: expect.stringMatching(/administer needs .*scope admin/) } });
    expect((await call('/api/admin-only', { token: FEEDBACK_TOKEN })).status).toBe(403);
  });

  it('opens inference unless SLIPWAY_AUTH_INFER, and reads unless SLIPWAY_AUTH_READS', async () => {
    app = await startApp({ writes: true, reads: true, infer: true }, registry.url);
    expect((await call('/api/infer')).status).toBe(401);
    expect((await call('/api/infer', { token: INFER_TOKEN })).status).toBe(200);
    expect((await call('/api/things', { method: 'GET' })).status).toBe(401);
    expect((await call('/api/things', { method: 'GET', token: INFER_TOKEN })).status).toBe(200);
  });

  it('answers 503 (retry later), not 401, when the registry cannot be asked', async () => {
    app = await startApp({ writes: true, reads: false, infer: false }, 'http://127.0.0.1:1');
    expect((await call('/api/feedback', { token: FEEDBACK_TOKEN })).status).toBe(503);
  });

  it('will not start a service with a state-changing route that declares no access', async () => {
    await expect(startApp({ writes: true, reads: false, infer: false }, registry.url, [UnguardedController])).rejects.toThrow(/without @RequiresScope, @InferenceRoute or @OpenRoute: POST \/oops \(UnguardedController.oops\)/);
  });
});
