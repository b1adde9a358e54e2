import type { AliasAuditEntry, Run, ShorthandPipelineSpecInput } from '@slipway/contracts';
import { issuedTokenResponseSchema, pipelineSpecSchema } from '@slipway/contracts';
import { waitFor } from '@slipway/testing';
import { request } from './support/http';
import { startPlatformUnderTest, type PlatformUnderTest } from './support/platform-under-test';
import { demoPipeline, waitForRunToFinish } from './support/runs';

const ADMIN_TOKEN = 'security-e2e-admin-token-0123456789';

/**
 * The attacks a hostile user of a shared platform tries, over real HTTP against the five services with tokens
 * required for writes and production protected: each is refused with the right status, and nothing changes.
 */
describe('a shared platform refuses what a token does not allow, and changes nothing', () => {
  let platform: PlatformUnderTest;
  let registry: string;
  let serving: string;
  let monitoring: string;
  let releaser: string;
  let runner: string;
  let first: Run;

  const call = (method: string, url: string, token?: string, body?: unknown, headers: Record<string, string> = {}) =>
    request<{ error?: string } & Record<string, unknown>>(method, url, body, token === undefined ? headers : { ...headers, authorization: `Bearer ${token}` });
  const issue = async (name: string, scopes: string[]) => {
    const answer = await call('POST', `${registry}/api/tokens`, ADMIN_TOKEN, { name, scopes });
    expect(answer.status).toBe(201);
    return issuedTokenResponseSchema.parse(answer.body).token;
  };
  const runIds = async () => (await call('GET', `${registry}/api/runs`)).body.runs as { id: string }[];
  const productionHistory = async () => ((await call('GET', `${registry}/api/models/iris/aliases/production/history`)).body.entries ?? []) as AliasAuditEntry[];
  const submit = (pipeline: ShorthandPipelineSpecInput, token?: string) => call('POST', `${registry}/api/runs`, token, { pipeline: pipelineSpecSchema.parse(pipeline) });
  const irisWith = (dataset: Partial<ShorthandPipelineSpecInput['dataset']>, name = 'iris-probe'): ShorthandPipelineSpecInput => {
    const base = demoPipeline();
    return { ...base, name, dataset: { ...base.dataset, ...dataset } };
  };

  beforeAll(async () => {
    platform = await startPlatformUnderTest({
      env: {
        SLIPWAY_AUTH_WRITES: 'true',
        SLIPWAY_PROTECTED_ALIASES: 'production',
        SLIPWAY_API_TOKENS: JSON.stringify([{ name: 'ops', token: ADMIN_TOKEN, scopes: ['admin'] }]),
        SLIPWAY_TEAM_QUOTAS: JSON.stringify({ default: { maxConcurrentTrainings: 2 }, vision: { maxConcurrentTrainings: 1 } }),
      },
    });
    ({ 'model-registry': registry, serving, monitoring } = platform.urls);
    releaser = await issue('releaser', ['runs:write', 'promote:production']);
    runner = await issue('runner', ['runs:write']);
    const submitted = await submit(demoPipeline(), releaser);
    expect(submitted.status).toBe(201);
    first = await waitForRunToFinish(registry, String(submitted.body.id));
    expect(first.status).toBe('succeeded');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('promoted the first run with its submitter named in production\'s history', async () => {
    expect(first.submittedBy).toBe('releaser');
    expect((await productionHistory())[0]).toMatchObject({ actor: `run:${first.id} by releaser`, toVersion: 1 });
  });

  it('refuses a run that would replace production from a token without promote:production, and without any token', async () => {
    const before = { runs: await runIds(), history: await productionHistory() };
    const quick = irisWith({}, 'one-epoch-takeover');
    expect(await submit(quick)).toMatchObject({ status: 401 });
    expect(await submit(quick, runner)).toMatchObject({ status: 403, body: { error: expect.stringMatching(/lacks the scope promote:production/) } });
    expect(await submit(quick, 'slw_forged-token-000000000000')).toMatchObject({ status: 401 });
    expect({ runs: await runIds(), history: await productionHistory() }).toEqual(before);
  });

  it('refuses every other write without a token: schedules, metadata, aliases, forged metrics, resumes, token issuing', async () => {
    const before = { runs: await runIds(), history: await productionHistory(), model: (await call('GET', `${registry}/api/models/iris`)).body };
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/schedules', { name: 'flood', every: '1s', pipeline: demoPipeline() }],
      ['PATCH', '/api/models/iris', { description: 'defaced' }],
      ['PATCH', '/api/models/iris/versions/1', { tags: { verified: 'no' } }],
      ['PUT', '/api/models/iris/aliases/production', { version: 1 }],
      ['DELETE', '/api/models/iris/aliases/production', undefined],
      ['POST', `/api/runs/${first.id}/metrics`, { metrics: [{ key: 'test.accuracy', value: 0.01, step: 99 }] }],
      ['POST', `/api/runs/${first.id}/params`, { params: { forged: 'yes' } }],
      ['PATCH', `/api/runs/${first.id}/tags`, { set: { approved: 'yes' } }],
      ['POST', `/api/runs/${first.id}/resume`, {}],
      ['POST', '/api/tokens', { name: 'backdoor', scopes: ['admin'] }],
    ];
    for (const [method, path, body] of attempts) expect([method, path, (await call(method, `${registry}${path}`, undefined, body)).status]).toEqual([method, path, 401]);
    const tracking = (await call('GET', `${registry}/api/runs/${first.id}/metrics?key=test.accuracy`)).body.metrics as { step: number }[];
    expect(tracking.some((point) => point.step === 99)).toBe(false);
    expect({ runs: await runIds(), history: await productionHistory(), model: (await call('GET', `${registry}/api/models/iris`)).body }).toEqual(before);
    expect((await call('GET', `${registry}/api/schedules`)).body.schedules).toEqual([]);
  });

  it('refuses a schedule that would promote to production from a token without promote:production', async () => {
    const scheduler = await issue('scheduler', ['schedules:write']);
    const answer = await call('POST', `${registry}/api/schedules`, scheduler, { name: 'nightly-takeover', cron: '0 3 * * *', pipeline: demoPipeline() });
    expect(answer).toMatchObject({ status: 403, body: { error: expect.stringMatching(/promote:production/) } });
    expect((await call('GET', `${registry}/api/schedules`)).body.schedules).toEqual([]);
  });

  it('keeps "Production" from becoming an unprotected twin of production', async () => {
    const writer = await issue('alias-writer', ['models:write']);
    expect(await call('PUT', `${registry}/api/models/iris/aliases/Production`, writer, { version: 1 })).toMatchObject({ status: 400 });
    expect(await call('PUT', `${registry}/api/models/iris/aliases/production`, writer, { version: 1 })).toMatchObject({ status: 403 });
    expect(Object.keys((await call('GET', `${registry}/api/models/iris`)).body.aliases as object)).toEqual(['production']);
  });

  it('refuses a team the quotas do not list, so a made-up team dodges nothing', async () => {
    const before = await runIds();
    const answer = await submit({ ...irisWith({}), team: 'made-up' }, releaser);
    expect(answer).toMatchObject({ status: 400, body: { error: expect.stringMatching(/team "made-up" has no quota/) } });
    expect(await runIds()).toEqual(before);
  });

  it.each([['/etc/passwd'], ['../../etc/hostname'], ['file:///etc/hostname'], ['data/../../../../etc/hostname']])(
    'reads no file outside the data root: %s',
    async (uri) => {
      const submitted = await submit(irisWith({ uri, labelColumn: 'root' }, 'leak'), releaser);
      expect(submitted.status).toBe(201);
      const run = await waitForRunToFinish(registry, String(submitted.body.id));
      expect(run.status).toBe('failed');
      expect(run.steps.find((step) => step.name === 'prepare')?.error).toMatch(/outside the data root/);
      expect(run.modelVersion).toBeNull();
    },
  );

  it('takes feedback only from a token with feedback:write, asking the registry who a token is', async () => {
    const body = { feedback: [{ predictionId: 'unknown-prediction', labels: ['setosa'] }] };
    expect(await call('POST', `${monitoring}/api/feedback`, undefined, body)).toMatchObject({ status: 401 });
    expect(await call('POST', `${monitoring}/api/feedback`, runner, body)).toMatchObject({ status: 403, body: { error: expect.stringMatching(/feedback:write/) } });
    const labeller = await issue('labeller', ['feedback:write']);
    expect((await call('POST', `${monitoring}/api/feedback`, labeller, body)).status).toBe(404);
  });

  it('refuses a cross-site form post to unload a model, and an unload without serving:admin; the model keeps answering', async () => {
    await waitFor('serving to load production', async () => ((await call('GET', `${serving}/v2/models/iris/ready`)).status === 200 ? true : undefined));
    const form = await fetch(`${serving}/v2/repository/models/iris/unload`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(form.status).toBe(415);
    expect((await call('POST', `${serving}/v2/repository/models/iris/unload`, undefined, {})).status).toBe(401);
    expect((await call('POST', `${serving}/v2/repository/models/iris/unload`, runner, {})).status).toBe(403);
    expect((await call('GET', `${serving}/v2/models/iris/ready`)).status).toBe(200);
    const infer = await call('POST', `${serving}/v2/models/iris/infer`, undefined, { inputs: [{ name: 'sepal_length', shape: [1], datatype: 'FP32', data: [5.1] }] });
    expect(infer.status).not.toBe(401);
  });

  it('lets a serving:admin token unload a model, which the reconcile loads again because production still wants it', async () => {
    const operator = await issue('operator', ['serving:admin']);
    expect((await call('POST', `${serving}/v2/repository/models/iris/unload`, operator, {})).status).toBe(200);
    await waitFor('the reconcile to load iris again', async () => ((await call('GET', `${serving}/v2/models/iris/ready`)).status === 200 ? true : undefined));
  });

  it('answers 413 naming the row limit for a request of 700k rows, without running it', async () => {
    const rows = 700_000;
    const answer = await call('POST', `${serving}/v2/models/iris/infer`, undefined, {
      inputs: [{ name: 'features', shape: [rows, 4], datatype: 'FP32', data: new Array(rows * 4).fill(1) }],
    });
    expect(answer).toMatchObject({ status: 413, body: { error: expect.stringMatching(/SLIPWAY_SERVING_MAX_(ROWS|ELEMENTS|BODY_BYTES)/) } });
  });

  it('serves the dashboard with a strict content security policy, no framing and nosniff', async () => {
    const page = await fetch(`${monitoring}/`);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('keeps reads open and lists tokens to an admin only, never with their secrets', async () => {
    expect((await call('GET', `${registry}/api/tokens`)).status).toBe(401);
    expect((await call('GET', `${registry}/api/tokens`, runner)).status).toBe(403);
    const listed = await call('GET', `${registry}/api/tokens`, ADMIN_TOKEN);
    expect(JSON.stringify(listed.body)).not.toContain(runner);
    expect(JSON.stringify(listed.body)).not.toContain(ADMIN_TOKEN);
  });
});
