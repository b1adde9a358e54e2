import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issuedTokenResponseSchema, type PipelineSpecInput } from '@slipway/contracts';
import type { ServiceProcess } from '@slipway/local-runtime';
import { removeQueuePrefix, startTestRedis, uniqueQueuePrefix, type TestRedis } from '@slipway/testing';
import { registryTestEnv, startRegistry } from '../testing/start-registry';

const ROOT_TOKEN = 'root-token-for-authorisation-tests';

const pipeline = (alias: string): PipelineSpecInput => ({
  name: 'auth-probe',
  steps: [
    { name: 'prepare', kind: 'prepare', params: { dataset: { uri: 'data/iris.csv', labelColumn: 'species' } } },
    { name: 'train', kind: 'train', inputs: { dataset: 'prepare' }, params: { model: { layers: [{ type: 'dense', units: 4 }], epochs: 1 } } },
    { name: 'register', kind: 'register', inputs: { model: 'train' }, params: { model: 'auth-probe' } },
    { name: 'promote', kind: 'promote', inputs: { version: 'register' }, params: { alias } },
  ],
});

describe('the registry with SLIPWAY_AUTH_WRITES on, over HTTP', () => {
  let redis: TestRedis;
  let prefix: string;
  let stateDir: string;
  let registry: ServiceProcess;

  beforeAll(async () => {
    redis = await startTestRedis();
    prefix = uniqueQueuePrefix();
    stateDir = await mkdtemp(join(tmpdir(), 'slipway-authorisation-'));
    registry = await startRegistry(
      {
        ...registryTestEnv(redis.url, prefix, stateDir),
        SLIPWAY_AUTH_WRITES: 'true',
        SLIPWAY_PROTECTED_ALIASES: 'production',
        SLIPWAY_API_TOKENS: JSON.stringify([{ name: 'root', token: ROOT_TOKEN, scopes: ['admin'] }]),
      },
      join(stateDir, 'model-registry.log'),
    );
  });

  afterAll(async () => {
    await registry?.stop();
    await removeQueuePrefix(redis.url, prefix);
    await redis.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, options: { token?: string; body?: unknown; contentType?: string; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined || options.contentType !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body ?? {});
    }
    const response = await fetch(`${registry.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
  };
  const issue = async (name: string, scopes: string[]) => {
    const answer = await call('POST', '/api/tokens', { token: ROOT_TOKEN, body: { name, scopes } });
    expect(answer.status).toBe(201);
    return issuedTokenResponseSchema.parse(answer.body).token;
  };
  const runCount = async () => ((await call('GET', '/api/runs')).body as { runs: unknown[] }).runs.length;

  it('refuses every write without a token, naming what it needs, and changes nothing', async () => {
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/runs', { pipeline: pipeline('staging') }],
      ['POST', '/api/schedules', { name: 'every-second', every: '1s', pipeline: pipeline('staging') }],
      ['PATCH', '/api/models/iris', { description: 'defaced' }],
      ['PUT', '/api/models/iris/aliases/staging', { version: 1 }],
      ['DELETE', '/api/models/iris/aliases/staging', undefined],
      ['POST', '/api/runs/some-run/metrics', { metrics: [{ key: 'test.accuracy', value: 1, step: 0 }] }],
      ['POST', '/api/runs/some-run/resume', {}],
      ['POST', '/api/tokens', { name: 'mine', scopes: ['admin'] }],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await call(method, path, { body });
      expect([method, path, answer.status]).toEqual([method, path, 401]);
      expect(answer.body?.error).toMatch(/Bearer <token>/);
    }
    expect(await runCount()).toBe(0);
    expect(((await call('GET', '/api/schedules')).body as { schedules: unknown[] }).schedules).toEqual([]);
  });

  it('answers 403 naming the scope a token lacks, and 401 for an unknown token', async () => {
    const feedbackOnly = await issue('feedback-only', ['feedback:write']);
    const refused = await call('POST', '/api/runs', { token: feedbackOnly, body: { pipeline: pipeline('staging') } });
    expect(refused.status).toBe(403);
    expect(refused.body?.error).toMatch(/token "feedback-only" lacks the scope runs:write/);
    expect((await call('POST', '/api/runs', { token: 'slw_not-a-real-token-000', body: { pipeline: pipeline('staging') } })).status).toBe(401);
    expect(await runCount()).toBe(0);
  });

  it('needs promote:<alias> at submit for a pipeline that promotes to a protected alias, with runs:write alone refused', async () => {
    const runner = await issue('runner', ['runs:write']);
    const refused = await call('POST', '/api/runs', { token: runner, body: { pipeline: pipeline('production') } });
    expect(refused.status).toBe(403);
    expect(refused.body?.error).toMatch(/promote:production.*step "promote" promotes to the protected alias "production"/);
    const schedule = await call('POST', '/api/schedules', { token: await issue('scheduler', ['schedules:write']), body: { name: 'nightly', cron: '0 3 * * *', pipeline: pipeline('production') } });
    expect(schedule.status).toBe(403);
    expect(await runCount()).toBe(0);
  });

  it('records the submitting token on the run, and one run per Idempotency-Key', async () => {
    const releaser = await issue('releaser', ['runs:write', 'promote:production']);
    const submit = () => call('POST', '/api/runs', { token: releaser, body: { pipeline: pipeline('production') }, headers: { 'idempotency-key': 'submit-0001' } });
    const first = await submit();
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ submittedBy: 'releaser' });
    const retry = await submit();
    expect(retry.body?.id).toBe(first.body?.id);
    const reused = await call('POST', '/api/runs', { token: releaser, body: { pipeline: pipeline('staging') }, headers: { 'idempotency-key': 'submit-0001' } });
    expect(reused.status).toBe(422);
    expect((await call('POST', '/api/runs', { token: releaser, body: { pipeline: pipeline('staging') }, headers: { 'idempotency-key': 'short' } })).status).toBe(400);
    expect(await runCount()).toBe(1);
  });

  it('refuses form content types on every write, so no cross-site form can change anything', async () => {
    const writer = await issue('form-writer', ['models:write', 'runs:write']);
    for (const contentType of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const answer = await call('POST', '/api/runs', { token: writer, body: '', contentType });
      expect([contentType, answer.status]).toEqual([contentType, 415]);
    }
    const upload = await call('POST', '/api/models/iris/versions:import', { token: writer, body: '--x--', contentType: 'multipart/form-data; boundary=x' });
    expect(upload.status).toBe(415);
    expect(upload.body?.error).toMatch(/x-slipway-client/);
  });

  it('validates alias names on REST, so "Production" is no unprotected twin of production', async () => {
    const writer = await issue('alias-writer', ['models:write']);
    const answer = await call('PUT', '/api/models/iris/aliases/Production', { token: writer, body: { version: 1 } });
    expect(answer.status).toBe(400);
    expect(answer.body?.error).toMatch(/alias/);
  });

  it('issues, lists (without secrets) and revokes tokens; a revoked token is refused at once', async () => {
    const temp = await issue('temporary', ['runs:write']);
    expect((await call('GET', '/api/auth/whoami', { token: temp })).body).toEqual({ name: 'temporary', scopes: ['runs:write'], source: 'issued' });
    const listed = await call('GET', '/api/tokens', { token: ROOT_TOKEN });
    expect(JSON.stringify(listed.body)).not.toContain(temp);
    expect(JSON.stringify(listed.body)).not.toContain(ROOT_TOKEN);
    expect((await call('DELETE', '/api/tokens/temporary', { token: temp })).status).toBe(403);
    expect((await call('DELETE', '/api/tokens/temporary', { token: ROOT_TOKEN })).status).toBe(200);
    const afterRevoke = await call('GET', '/api/auth/whoami', { token: temp });
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body?.error).toMatch(/"temporary" was revoked/);
    expect((await call('DELETE', '/api/tokens/root', { token: ROOT_TOKEN })).status).toBe(409);
  });

  it('keeps reads open (SLIPWAY_AUTH_READS is off)', async () => {
    expect((await call('GET', '/api/models')).status).toBe(200);
    expect((await call('GET', '/api/runs')).status).toBe(200);
  });
});
