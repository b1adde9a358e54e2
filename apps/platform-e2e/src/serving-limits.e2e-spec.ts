import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { sampleValue, waitFor } from '@slipway/testing';
import { getJson, postJson, request } from './support/http';
import { heldOutTestRows, v2RequestFor } from './support/iris-test-split';
import { startPlatformUnderTest, type PlatformUnderTest } from './support/platform-under-test';
import { runPython, setUpPythonVenv } from './support/python-venv';
import { demoPipeline, submitRun, waitForRunToFinish } from './support/runs';

const COMPRESSION_SCRIPT = 'apps/platform-e2e/python/triton_compression_check.py';
// Small limits, so the suite checks that the variables reach serving; the body limit keeps its default.
const MAX_ROWS = 1_000;
const MAX_ELEMENTS = 20_000;
const BODY_LIMIT = 16 * 1024 * 1024;

/** Serving's limits, encodings, value ranges and repository semantics over real HTTP against the built services. */
describe('serving is hard to break', () => {
  let platform: PlatformUnderTest;
  let serving: string;
  let workDir: string;
  const pipeline = demoPipeline();
  const { rows, features } = heldOutTestRows(pipeline.dataset);
  const body = v2RequestFor(rows, features);
  const inferUrl = () => `${serving}/v2/models/iris/infer`;

  /** A V2 request of `count` rows (the held-out rows repeated), one FP32 input per feature. */
  const rowsRequest = (count: number) => ({
    inputs: features.map((name) => ({ name, datatype: 'FP32', shape: [count], data: Array.from({ length: count }, (_, row) => Number(rows[row % rows.length]?.[name])) })),
  });

  const post = (url: string, bytes: Buffer | string, headers: Record<string, string>) => fetch(url, { method: 'POST', headers, body: Buffer.from(bytes) });
  const errorOf = async (response: Response): Promise<{ status: number; error: string }> => ({ status: response.status, error: ((await response.json()) as { error: string }).error });
  const metrics = async () => (await getJson<string>(`${serving}/metrics`)).body;
  const status = async (path: string) => (await fetch(`${serving}${path}`)).status;
  const servingLog = () => readFile(platform.local?.services.serving.spec.logFile ?? '', 'utf8');

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'slipway-serving-limits-'));
    const [started] = await Promise.all([
      startPlatformUnderTest({ env: { SLIPWAY_SERVING_MAX_ROWS: String(MAX_ROWS), SLIPWAY_SERVING_MAX_ELEMENTS: String(MAX_ELEMENTS) } }),
      setUpPythonVenv(),
    ]);
    platform = started;
    if (!platform.local) throw new Error('this suite stops and starts the registry: run it without SLIPWAY_E2E_*_URL');
    serving = platform.urls.serving;
    const registry = platform.urls['model-registry'];
    await waitForRunToFinish(registry, (await submitRun(registry, pipeline)).id);
    await waitFor('serving to load the model', async () => ((await status('/v2/models/iris/ready')) === 200 ? true : undefined));
  }, 420_000);

  afterAll(async () => {
    await platform?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  describe('request limits', () => {
    it(`answers 413 naming the limit and its variable past ${MAX_ROWS} rows or ${MAX_ELEMENTS} values, V2, V1 and binary alike`, async () => {
      expect((await postJson(inferUrl(), rowsRequest(MAX_ROWS))).status).toBe(200);

      const v2 = await postJson<{ error: string }>(inferUrl(), rowsRequest(MAX_ROWS + 1));
      expect(v2.status).toBe(413);
      expect(v2.body.error).toContain(`at most ${MAX_ROWS}`);
      expect(v2.body.error).toContain('SLIPWAY_SERVING_MAX_ROWS');

      const instances = Array.from({ length: MAX_ROWS + 1 }, () => [5.1, 3.5, 1.4, 0.2]);
      const v1 = await postJson<{ error: string }>(`${serving}/v1/models/iris:predict`, { instances });
      expect(v1.status).toBe(413);
      expect(v1.body.error).toContain('SLIPWAY_SERVING_MAX_ROWS');

      // Triton's binary form: counted from the tensors' byte sizes before any value is decoded.
      const values = MAX_ELEMENTS + 1;
      const header = Buffer.from(JSON.stringify({ inputs: [{ name: 'sepal_length', datatype: 'FP32', shape: [values], parameters: { binary_data_size: values * 4 } }] }));
      const binary = await errorOf(await post(inferUrl(), Buffer.concat([header, Buffer.alloc(values * 4)]), { 'inference-header-content-length': String(header.length) }));
      expect(binary.status).toBe(413);
      expect(binary.error).toContain('SLIPWAY_SERVING_MAX_ELEMENTS');
    });

    it('answers 413 naming the body limit to every one of 20 bodies of 17 MB sent at once', async () => {
      const large = Buffer.alloc(17 * 1024 * 1024, 0x20);
      const answers = await Promise.all(Array.from({ length: 20 }, async () => errorOf(await post(inferUrl(), large, { 'content-type': 'application/json' }))));
      for (const answer of answers) {
        expect(answer.status).toBe(413);
        expect(answer.error).toContain(`over ${BODY_LIMIT} bytes`);
        expect(answer.error).toContain('SLIPWAY_SERVING_MAX_BODY_BYTES');
      }
      // Still serving.
      expect((await postJson(inferUrl(), body)).status).toBe(200);
    });

    it('answers 400 naming the input for data nested 7,000 levels deep, and 400 for any deeper, never a 500', async () => {
      // Written out by hand: JSON.stringify would run out of stack on this side first.
      const nested = (depth: number) => `${'['.repeat(depth)}5.1${']'.repeat(depth)}`;
      const v2 = (depth: number) => `{"inputs":[{"name":"sepal_length","datatype":"FP32","shape":[1],"data":[${nested(depth)}]}]}`;
      const deep = await errorOf(await post(inferUrl(), v2(7_000), { 'content-type': 'application/json' }));
      expect(deep.status).toBe(400);
      expect(deep.error).toContain('input "sepal_length" data is nested 2 levels deep');
      expect((await post(inferUrl(), v2(1_000_000), { 'content-type': 'application/json' })).status).toBe(400);
      const v1 = await post(`${serving}/v1/models/iris:predict`, `{"instances":[${nested(7_000)}]}`, { 'content-type': 'application/json' });
      expect(v1.status).toBe(400);
    });

    it.each([
      ['INT8', 1000, 'INT8 needs integers from -128 to 127'],
      ['FP32', 1e308, 'FP32 needs finite numbers'],
      ['UINT8', -1, 'UINT8 needs integers from 0 to 255'],
    ])('answers 400 naming the input and the value for %s %p', async (datatype, value, expected) => {
      const request = { inputs: [{ name: 'petal_width', datatype, shape: [2], data: [1, value] }] };
      const answer = await postJson<{ error: string }>(inferUrl(), request);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toContain('input "petal_width" value 1 is');
      expect(answer.body.error).toContain(expected);
    });
  });

  describe('compressed bodies', () => {
    it('answers gzip and deflate bodies exactly as the plain one, and 415 for another encoding', async () => {
      const json = JSON.stringify(body);
      const plain = await (await post(inferUrl(), json, { 'content-type': 'application/json' })).json();
      for (const [encoding, compress] of [['gzip', gzipSync], ['deflate', deflateSync]] as const) {
        const response = await post(inferUrl(), compress(json), { 'content-type': 'application/json', 'content-encoding': encoding });
        expect({ encoding, status: response.status, body: await response.json() }).toEqual({ encoding, status: 200, body: plain });
      }
      const refused = await errorOf(await post(inferUrl(), json, { 'content-type': 'application/json', 'content-encoding': 'br' }));
      expect(refused.status).toBe(415);
      expect(refused.error).toContain('gzip');
    });

    it('counts the body limit after decompression: a 17 MB body gzipped to a few kB is a 413', async () => {
      const bomb = gzipSync(Buffer.alloc(17 * 1024 * 1024, 0x20));
      expect(bomb.length).toBeLessThan(100_000);
      expect((await post(inferUrl(), bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(413);
    });

    it("answers the real tritonclient's gzip and deflate requests, JSON and binary, as its plain ones", async () => {
      const rowsFile = join(workDir, 'rows.json');
      await writeFile(rowsFile, JSON.stringify({ features: Object.fromEntries(features.map((name) => [name, rows.map((row) => Number(row[name]))])) }));
      const result = await runPython(COMPRESSION_SCRIPT, ['--url', serving, '--model', 'iris', '--rows', rowsFile]);
      expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: expect.stringContaining('all checks passed') });
    });
  });

  describe('methods and content types', () => {
    it('answers 405 with Allow for a method a known path does not take', async () => {
      const response = await fetch(inferUrl(), { method: 'GET' });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect((await fetch(`${serving}/v2/health/ready`, { method: 'DELETE' })).headers.get('allow')).toBe('GET, HEAD');
      expect(await status('/v2/nowhere')).toBe(404);
    });

    it.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain'])('refuses a %s unload with 415, and keeps serving', async (contentType) => {
      const refused = await errorOf(await post(`${serving}/v2/repository/models/iris/unload`, '', { 'content-type': contentType }));
      expect(refused.status).toBe(415);
      expect(await status('/v2/models/iris/ready')).toBe(200);
    });

    it('answers 400 naming the parameter for an unload parameter it does not know', async () => {
      const answer = await postJson<{ error: string }>(`${serving}/v2/repository/models/iris/unload`, { parameters: { keep_forever: true } });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toContain('keep_forever');
    });
  });

  describe('unload and readiness', () => {
    const modelReady = async () => sampleValue(await metrics(), 'slipway_model_ready', { model: 'iris', version: '' });

    it('counts an unloaded model as missing until the registry can be read again, then the reconcile loads it', async () => {
      const registry = platform.local?.services['model-registry'];
      if (!registry) throw new Error('no local registry');
      // With the registry down, the reload the unload schedules fails: the gap stays open to be looked at.
      await registry.stop();
      expect((await postJson(`${serving}/v2/repository/models/iris/unload`, {})).status).toBe(200);

      expect(await status('/v2/models/iris/ready')).toBe(503);
      expect((await postJson(inferUrl(), body)).status).toBe(503);
      expect(await getJson(`${serving}/v2/health/ready`)).toMatchObject({ status: 503, body: { ready: false } });
      expect(await status('/readyz')).toBe(503);
      const now = await metrics();
      expect(sampleValue(now, 'slipway_serving_ready')).toBe(0);
      expect(sampleValue(now, 'slipway_model_ready', { model: 'iris', version: '' })).toBe(0);

      await registry.start();
      await registry.waitUntilReady(60_000);
      await waitFor('the periodic reconcile to load iris again', async () => ((await status('/v2/models/iris/ready')) === 200 ? true : undefined));
      expect(await getJson(`${serving}/v2/health/ready`)).toMatchObject({ status: 200, body: { ready: true } });
      expect(await modelReady()).toBeUndefined();
      expect(sampleValue(await metrics(), 'slipway_serving_ready')).toBe(1);
    });

    it('loads an unloaded model again at once, not only at the next interval', async () => {
      expect((await postJson(`${serving}/v2/repository/models/iris/unload`, { parameters: { unload_dependents: false } })).status).toBe(200);
      await waitFor('serving to reload iris', async () => ((await status('/v2/models/iris/ready')) === 200 ? true : undefined));
      const reload = (await servingLog()).split('\n').find((line) => line.includes('"trigger":"reload iris after unload"') && line.includes('models.reconciled'));
      expect(reload).toContain('"model":"iris"');
    });

    it('keeps a model unloaded with keep_unloaded out, and out of readiness, across reconciles, until a load', async () => {
      const registry = platform.local?.services['model-registry'];
      if (!registry) throw new Error('no local registry');
      expect((await postJson(`${serving}/v2/repository/models/iris/unload`, { parameters: { keep_unloaded: true } })).status).toBe(200);
      expect(await status('/v2/models/iris/ready')).toBe(404);
      expect((await getJson(`${serving}/v2/health/ready`)).status).toBe(200);
      expect(await modelReady()).toBeUndefined();
      const { body: index } = await postJson<{ name: string; state: string; reason: string }[]>(`${serving}/v2/repository/index`, {});
      expect(index).toContainEqual(expect.objectContaining({ name: 'iris', state: 'UNAVAILABLE', reason: expect.stringContaining('keep_unloaded') }));

      // /readyz goes down when a sync fails and up when one succeeds: a full reconcile ran in between.
      await registry.stop();
      await waitFor('a sync to fail', async () => ((await status('/readyz')) === 503 ? true : undefined));
      await registry.start();
      await registry.waitUntilReady(60_000);
      await waitFor('a sync to succeed', async () => ((await status('/readyz')) === 200 ? true : undefined));
      expect(await status('/v2/models/iris/ready')).toBe(404);

      expect((await request('POST', `${serving}/v2/repository/models/iris/load`)).status).toBe(200);
      expect(await status('/v2/models/iris/ready')).toBe(200);
    });
  });
});
