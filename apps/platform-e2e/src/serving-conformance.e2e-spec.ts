import type { RegisteredModel, Run, V2InferResponse, V2ModelMetadata } from '@slipway/contracts';
import { binaryInfer } from './support/binary-infer';
import { getJson, postJson, request } from './support/http';
import { heldOutTestRows, v2RequestFor } from './support/iris-test-split';
import { startPlatformUnderTest, type PlatformUnderTest } from './support/platform-under-test';
import { demoPipeline, submitRun, waitForRunToFinish } from './support/runs';
import { waitFor } from '@slipway/testing';

const PROMOTER_TOKEN = 'e2e-promoter-token-0123456789';

/** Open Inference Protocol V2 + KServe V1 conformance over real HTTP, with two versions, a canary split and a shadow. */
describe('serving speaks KServe V1 and the Open Inference Protocol V2', () => {
  let platform: PlatformUnderTest;
  let serving: string;
  let registry: string;
  let v1: number;
  let v2: number;
  const pipeline = demoPipeline();
  const { rows, features, label } = heldOutTestRows(pipeline.dataset);
  const sample = rows.slice(0, 4);
  const body = v2RequestFor(sample, features);
  const columns = Object.fromEntries(features.map((name) => [name, sample.map((row) => Number(row[name]))]));

  beforeAll(async () => {
    platform = await startPlatformUnderTest({
      env: {
        SLIPWAY_SERVING_ALIASES: 'production,staging',
        SLIPWAY_API_TOKENS: JSON.stringify([{ name: 'e2e', token: PROMOTER_TOKEN, scopes: ['promote:production'] }]),
        SLIPWAY_PROTECTED_ALIASES: 'production',
        SLIPWAY_TRAFFIC_POLICY: JSON.stringify({ iris: { routes: [{ alias: 'production', weight: 50 }, { alias: 'canary', weight: 50 }], shadow: 'staging' } }),
      },
    });
    serving = platform.urls.serving;
    registry = platform.urls['model-registry'];
    const first = await waitForRunToFinish(registry, (await submitRun(registry, pipeline, PROMOTER_TOKEN)).id);
    const second = await waitForRunToFinish(registry, (await submitRun(registry, { ...pipeline, model: { ...pipeline.model, spec: { ...pipeline.model.spec, seed: 7 } } }, PROMOTER_TOKEN)).id);
    [v1, v2] = [first, second].map((run: Run) => run.modelVersion?.version ?? -1) as [number, number];
    for (const alias of ['canary', 'staging']) expect((await request('PUT', `${registry}/api/models/iris/aliases/${alias}`, { version: v1 })).status).toBe(200);
    await waitFor('serving to load both versions', async () => {
      const { body: metadata } = await getJson<V2ModelMetadata>(`${serving}/v2/models/iris`);
      return metadata.versions?.length === 2 ? true : undefined;
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  describe('server and health', () => {
    it('answers KServe V1 liveness at the root and V2 server metadata with its extensions', async () => {
      expect((await getJson(`${serving}/`)).body).toEqual({ status: 'alive' });
      const { body: metadata } = await getJson<{ name: string; extensions: string[] }>(`${serving}/v2`);
      expect(metadata.extensions).toEqual(expect.arrayContaining(['binary_tensor_data', 'model_repository', 'statistics']));
      expect((await getJson(`${serving}/v2/health/live`)).body).toEqual({ live: true });
      expect(await getJson(`${serving}/v2/health/ready`)).toMatchObject({ status: 200, body: { ready: true } });
    });

    it('describes the model with every loaded version, its inputs and outputs, -1 for the batch dimension', async () => {
      const { body: metadata } = await getJson<V2ModelMetadata>(`${serving}/v2/models/iris`);
      expect(metadata.versions.sort()).toEqual([String(v1), String(v2)].sort());
      expect(metadata.inputs).toEqual(features.map((name) => ({ name, datatype: 'FP32', shape: [-1] })));
      expect(metadata.outputs).toEqual([
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
        { name: 'label', datatype: 'BYTES', shape: [-1] },
      ]);
      expect((await getJson(`${serving}/v2/models/iris/versions/${v1}`)).status).toBe(200);
      expect(await getJson(`${serving}/v2/models/iris/versions/${v1}/ready`)).toMatchObject({ status: 200, body: { name: 'iris', ready: true } });
    });

    it.each([
      ['an unknown model', '/v2/models/tulip'],
      ['an unknown version', '/v2/models/iris/versions/999'],
      ['an unknown alias', '/v2/models/iris/versions/nightly/ready'],
    ])('answers 404 with {"error"} as application/json for %s', async (_case, path) => {
      const answer = await getJson<{ error: string }>(`${serving}${path}`);
      expect(answer.status).toBe(404);
      expect(answer.contentType).toBe('application/json');
      expect(typeof answer.body.error).toBe('string');
    });
  });

  describe('V2 infer', () => {
    const inferUrl = () => `${serving}/v2/models/iris/versions/${v2}/infer`;

    it('echoes the id, names model and version, and honours the outputs list and parameters', async () => {
      const answer = await postJson<V2InferResponse>(inferUrl(), { ...body, id: 'conf-1', parameters: { priority: 1 }, outputs: [{ name: 'label' }] });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: 'conf-1', model_name: 'iris', model_version: String(v2) });
      expect(answer.body.outputs.map((output) => output.name)).toEqual(['label']);
      expect(answer.body.outputs[0]?.shape).toEqual([sample.length]);
    });

    it('gives the same answer for flat and nested data, any numeric datatype, and BOOL', async () => {
      const reference = (await postJson<V2InferResponse>(inferUrl(), body)).body.outputs;
      const nested = { inputs: body.inputs.map((input) => ({ ...input, shape: [sample.length, 1], data: input.data.map((value) => [value]) })) };
      expect((await postJson<V2InferResponse>(inferUrl(), nested)).body.outputs).toEqual(reference);
      const fp64 = { inputs: body.inputs.map((input) => ({ ...input, datatype: 'FP64' })) };
      expect((await postJson<V2InferResponse>(inferUrl(), fp64)).body.outputs).toEqual(reference);
      const integers = { inputs: body.inputs.map((input) => ({ ...input, datatype: 'INT32', data: input.data.map(Math.round) })) };
      expect((await postJson(inferUrl(), integers)).status).toBe(200);
      const booleans = { inputs: body.inputs.map((input) => ({ ...input, datatype: 'BOOL', data: input.data.map((value) => value > 2) })) };
      expect((await postJson(inferUrl(), booleans)).status).toBe(200);
    });

    it('accepts JSON sent as application/octet-stream or without a content type', async () => {
      const reference = (await postJson<V2InferResponse>(inferUrl(), body)).body;
      for (const headers of [{ 'content-type': 'application/octet-stream' }, {}] as Record<string, string>[]) {
        const response = await fetch(inferUrl(), { method: 'POST', headers, body: Buffer.from(JSON.stringify(body)) });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual(reference);
      }
    });

    it('speaks the binary tensor extension both ways and matches the JSON answer', async () => {
      const json = (await postJson<V2InferResponse>(inferUrl(), body)).body;
      const binary = await binaryInfer(inferUrl(), columns, ['probabilities', 'label']);
      expect(binary.status).toBe(200);
      expect(binary.contentType).toBe('application/octet-stream');
      expect(binary.outputs['label']).toEqual(json.outputs.find((output) => output.name === 'label')?.data);
      const probabilities = json.outputs.find((output) => output.name === 'probabilities')?.data as number[];
      (binary.outputs['probabilities'] as number[]).forEach((p, i) => expect(p).toBeCloseTo(probabilities[i] ?? -1, 6));
      const mixed = await binaryInfer(inferUrl(), columns, ['label']);
      expect(mixed.header.outputs.find((output) => output.name === 'probabilities')?.data).toHaveLength(sample.length * 3);
    });

    it.each([
      ['a count of values that does not match the shape', { inputs: body.inputs.map((input, i) => (i === 0 ? { ...input, shape: [sample.length + 1] } : input)) }, 'sepal_length'],
      ['an unknown requested output', { ...body, outputs: [{ name: 'logits' }] }, 'logits'],
      ['a body that is not JSON', 'not json', 'JSON'],
    ])('answers 400 as application/json for %s, naming it', async (_case, bad, mention) => {
      const response = await fetch(inferUrl(), { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: typeof bad === 'string' ? bad : JSON.stringify(bad) });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(((await response.json()) as { error: string }).error).toContain(mention);
    });
  });

  describe('versions, aliases and traffic', () => {
    it('addresses another alias through /versions/{alias}', async () => {
      const answer = await postJson<V2InferResponse>(`${serving}/v2/models/iris/versions/staging/infer`, body);
      expect(answer.body.model_version).toBe(String(v1));
    });

    it('splits unaddressed traffic between production and canary, and a header pins it', async () => {
      const served = new Map<string, number>();
      for (let i = 0; i < 120; i++) {
        const response = await fetch(`${serving}/v2/models/iris/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const by = response.headers.get('x-slipway-served-by') ?? 'none';
        served.set(by, (served.get(by) ?? 0) + 1);
      }
      expect([...served.keys()].sort()).toEqual([`iris@${v1}`, `iris@${v2}`].sort());
      // 50/50 over 120 requests: each side gets far more than 20 unless the split is broken.
      for (const count of served.values()) expect(count).toBeGreaterThan(20);
      for (let i = 0; i < 10; i++) {
        const pinned = await fetch(`${serving}/v2/models/iris/infer`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-slipway-route': 'canary' }, body: JSON.stringify(body) });
        expect(pinned.headers.get('x-slipway-served-by')).toBe(`iris@${v1}`);
      }
    });

    it('copies traffic to the shadow alias and counts its requests', async () => {
      const shadowed = await waitFor('shadow requests on /metrics', async () => {
        const { body: metrics } = await getJson<string>(`${serving}/metrics`);
        const match = /slipway_shadow_requests_total\{model="iris",challenger="staging"[^}]*\} (\d+)/.exec(metrics);
        return match && Number(match[1]) > 0 ? Number(match[1]) : undefined;
      });
      expect(shadowed).toBeGreaterThan(0);
    });

    it('moves production under load without a single failed request', async () => {
      let stop = false;
      const outcomes: number[] = [];
      const versions = new Set<string>();
      const load = async () => {
        while (!stop) {
          const response = await fetch(`${serving}/v2/models/iris/infer`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-slipway-route': 'production' }, body: JSON.stringify(body) });
          outcomes.push(response.status);
          versions.add(response.headers.get('x-slipway-served-by') ?? 'none');
          await response.arrayBuffer();
        }
      };
      const clients = Array.from({ length: 4 }, load);
      for (const version of [v1, v2, v1, v2]) {
        const moved = await fetch(`${registry}/api/models/iris/aliases/production`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${PROMOTER_TOKEN}` },
          body: JSON.stringify({ version }),
        });
        expect(moved.status).toBe(200);
        await waitFor(`production to point at v${version}`, async () => {
          const response = await fetch(`${serving}/v2/models/iris/ready`);
          const { body: meta } = await getJson<V2ModelMetadata>(`${serving}/v2/models/iris/versions/${version}`);
          return response.ok && meta.versions.includes(String(version)) && (await servedBy()) === `iris@${version}` ? true : undefined;
        }, 30_000);
      }
      stop = true;
      await Promise.all(clients);
      expect(outcomes.length).toBeGreaterThan(20);
      expect(outcomes.filter((status) => status !== 200)).toEqual([]);
      expect([...versions].sort()).toEqual([`iris@${v1}`, `iris@${v2}`].sort());

      async function servedBy(): Promise<string | null> {
        const response = await fetch(`${serving}/v2/models/iris/infer`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-slipway-route': 'production' }, body: JSON.stringify(body) });
        await response.arrayBuffer();
        return response.headers.get('x-slipway-served-by');
      }
    });
  });

  describe('KServe V1', () => {
    it('lists models, reports readiness and predicts labels for array and object instances', async () => {
      expect((await getJson(`${serving}/v1/models`)).body).toEqual({ models: ['iris'] });
      expect((await getJson(`${serving}/v1/models/iris`)).body).toEqual({ name: 'iris', ready: true });
      const instances = sample.map((row, i) => (i % 2 ? features.map((name) => Number(row[name])) : Object.fromEntries(features.map((name) => [name, Number(row[name])]))));
      const answer = await postJson<{ predictions: string[] }>(`${serving}/v1/models/iris:predict`, { instances });
      expect(answer.status).toBe(200);
      expect(answer.body.predictions).toHaveLength(sample.length);
      for (const prediction of answer.body.predictions) expect(['setosa', 'versicolor', 'virginica']).toContain(prediction);
      expect(answer.body.predictions.filter((p, i) => p === sample[i]?.[label]).length).toBeGreaterThanOrEqual(3);
    });

    it('rejects bad instances with 400 and unknown verbs or models with 404', async () => {
      expect((await postJson(`${serving}/v1/models/iris:predict`, { instances: [[1, 2]] })).status).toBe(400);
      expect((await postJson(`${serving}/v1/models/iris:explain`, { instances: [] })).status).toBe(404);
      expect((await getJson(`${serving}/v1/models/tulip`)).status).toBe(404);
    });
  });

  describe('extensions, metrics and description', () => {
    it('indexes, unloads and reloads a model through the repository extension', async () => {
      const { body: index } = await postJson<{ name: string; version: string; state: string }[]>(`${serving}/v2/repository/index`, {});
      expect(index.filter((entry) => entry.state === 'READY').map((entry) => entry.version).sort()).toEqual([String(v1), String(v2)].sort());
      // keep_unloaded: otherwise the reconcile the unload schedules loads it straight back (serving-limits.e2e-spec.ts).
      expect((await postJson(`${serving}/v2/repository/models/iris/unload`, { parameters: { keep_unloaded: true } })).status).toBe(200);
      expect((await getJson(`${serving}/v2/models/iris/versions/${v1}`)).status).toBe(404);
      expect((await postJson(`${serving}/v2/repository/models/iris/load`, {})).status).toBe(200);
      expect((await getJson(`${serving}/v2/models/iris/ready`)).status).toBe(200);
    });

    it('reports statistics per version and Triton-named metrics', async () => {
      const { body: stats } = await getJson<{ model_stats: { version: string; inference_count: number; execution_count: number; inference_stats: { success: { count: number } } }[] }>(`${serving}/v2/models/iris/stats`);
      const total = stats.model_stats.reduce((sum, entry) => sum + entry.inference_stats.success.count, 0);
      expect(total).toBeGreaterThan(0);
      for (const entry of stats.model_stats) expect(entry.execution_count).toBeLessThanOrEqual(entry.inference_count);
      const { body: metrics } = await getJson<string>(`${serving}/metrics`);
      for (const name of ['nv_inference_request_success', 'nv_inference_request_failure', 'nv_inference_count', 'nv_inference_exec_count', 'nv_inference_request_duration_us', 'nv_inference_queue_duration_us', 'nv_inference_compute_infer_duration_us', 'slipway_inference_batch_size_bucket', 'slipway_traffic_requests_total']) {
        expect(metrics).toContain(`${name}{`);
      }
    });

    it('describes every endpoint in /openapi.json', async () => {
      const { body: document } = await getJson<{ openapi: string; paths: Record<string, unknown> }>(`${serving}/openapi.json`);
      expect(document.openapi).toMatch(/^3\./);
      for (const path of ['/v2/health/live', '/v2/health/ready', '/v2', '/v2/models/{model}', '/v2/models/{model}/versions/{version}/infer', '/v2/models/{model}/stats', '/v2/repository/index', '/v1/models/{model}:predict', '/']) {
        expect(Object.keys(document.paths)).toContain(path);
      }
    });
  });

  it('keeps registry and serving in agreement about production', async () => {
    const { body: model } = await getJson<RegisteredModel>(`${registry}/api/models/iris`);
    const answer = await postJson<V2InferResponse>(`${serving}/v2/models/iris/versions/production/infer`, body);
    expect(answer.body.model_version).toBe(String(model.aliases['production']));
  });
});
