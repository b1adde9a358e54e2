import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importModelsResponseSchema, registeredModelSchema, UPLOAD_CLIENT_HEADER } from '@slipway/contracts';
import type { ServiceProcess } from '@slipway/local-runtime';
import { removeQueuePrefix, startTestRedis, uniqueQueuePrefix, type TestRedis } from '@slipway/testing';
import { registryTestEnv, startRegistry, WORKSPACE_ROOT } from '../testing/start-registry';

const SKLEARN_ONNX = join(WORKSPACE_ROOT, 'libs/model-runtimes/src/onnx/fixtures/sklearn-iris-pipeline.onnx');
const TOKEN = 'imports-http-test-token-0123456789';
// Small enough that a test can go over it without sending much.
const MAX_BYTES = 64 * 1024;

describe('model imports over HTTP (multipart/form-data)', () => {
  let redis: TestRedis;
  let prefix: string;
  let stateDir: string;
  let registry: ServiceProcess;
  let sklearn: Buffer;

  beforeAll(async () => {
    redis = await startTestRedis();
    prefix = uniqueQueuePrefix();
    stateDir = await mkdtemp(join(tmpdir(), 'slipway-imports-'));
    sklearn = await readFile(SKLEARN_ONNX);
    registry = await startRegistry(
      {
        ...registryTestEnv(redis.url, prefix, stateDir),
        SLIPWAY_PROTECTED_ALIASES: 'production',
        SLIPWAY_API_TOKENS: JSON.stringify([{ name: 'ci', token: TOKEN, scopes: ['promote:production'] }]),
        SLIPWAY_IMPORT_MAX_BYTES: String(MAX_BYTES),
      },
      join(stateDir, 'model-registry.log'),
    );
  });

  afterAll(async () => {
    await registry?.stop();
    if (redis) {
      await removeQueuePrefix(redis.url, prefix);
      await redis.stop();
    }
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  function form(files: { path: string; bytes: Uint8Array }[], fields: Record<string, string> = {}): FormData {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    for (const { path, bytes } of files) body.append('file', new Blob([bytes]), path);
    return body;
  }

  async function post(path: string, body: FormData, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${registry.baseUrl}${path}`, { method: 'POST', body, headers: { [UPLOAD_CLIENT_HEADER]: 'int-spec', ...headers } });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  it('answers 201 with the new version, then 200 with the same one for the same file', async () => {
    const created = await post('/api/models/iris-onnx/versions:import', form([{ path: 'iris.onnx', bytes: sklearn }], { description: 'sklearn pipeline', tags: '{"team":"ml"}' }));
    expect(created.status).toBe(201);
    const [version] = importModelsResponseSchema.parse(created.body).versions;
    expect(version).toMatchObject({ model: 'iris-onnx', version: 1, format: 'onnx', description: 'sklearn pipeline', tags: { team: 'ml' }, source: { fileName: 'iris.onnx', importedBy: 'api' } });
    expect(version?.signature.inputs).toEqual([{ name: 'X', datatype: 'FP32', shape: [-1, 4] }]);

    const again = await post('/api/models/iris-onnx/versions:import', form([{ path: 'iris.onnx', bytes: sklearn }]));
    expect(again.status).toBe(200);
    expect(importModelsResponseSchema.parse(again.body).versions.map((v) => v.version)).toEqual([1]);
    const model = registeredModelSchema.parse(await (await fetch(`${registry.baseUrl}/api/models/iris-onnx`)).json());
    expect(model.versions).toHaveLength(1);
  });

  it('answers 400 naming the problem for garbage, bad paths, unknown fields and no files', async () => {
    const garbage = await post('/api/models/junk/versions:import', form([{ path: 'junk.onnx', bytes: new Uint8Array(256).fill(7) }]));
    expect(garbage).toEqual({ status: 400, body: { error: expect.stringMatching(/^junk\.onnx is not an ONNX model onnxruntime can run/) } });
    const climbing = await post('/api/models/junk/versions:import', form([{ path: '../junk.onnx', bytes: sklearn }]));
    expect(climbing).toEqual({ status: 400, body: { error: expect.stringContaining('"../junk.onnx"') } });
    const unknown = await post('/api/models/junk/versions:import', form([{ path: 'iris.onnx', bytes: sklearn }], { colour: 'red' }));
    expect(unknown).toEqual({ status: 400, body: { error: expect.stringContaining('colour') } });
    const empty = await post('/api/models/junk/versions:import', form([], { description: 'nothing' }));
    expect(empty).toEqual({ status: 400, body: { error: expect.stringContaining('no files were uploaded') } });
    const notRepository = await post('/api/models:import', form([{ path: 'iris.onnx', bytes: sklearn }]));
    expect(notRepository).toEqual({ status: 400, body: { error: expect.stringContaining('is not a Triton model repository') } });
    expect((await (await fetch(`${registry.baseUrl}/api/models/junk`)).json()) as unknown).toEqual({ error: 'model "junk" is not registered' });
  });

  it('takes reference rows from the file part named reference, and answers 400 naming a column the model does not log', async () => {
    const withReference = (csv: string) => {
      const body = form([{ path: 'iris.onnx', bytes: sklearn }]);
      body.append('reference', new Blob([csv]), 'train.csv');
      return body;
    };
    const unknown = await post('/api/models/iris-ref/versions:import', withReference('X[0],species\n5.1,setosa\n'));
    expect(unknown).toEqual({ status: 400, body: { error: expect.stringContaining('reference train.csv: column "species" is not a feature of the model; its columns must be among X[0], X[1], X[2], X[3]') } });
    expect((await fetch(`${registry.baseUrl}/api/models/iris-ref`)).status).toBe(404);

    const twice = withReference('X[0]\n5.1\n');
    twice.append('reference', new Blob(['X[1]\n3\n']), 'more.csv');
    expect(await post('/api/models/iris-ref/versions:import', twice)).toEqual({ status: 400, body: { error: expect.stringContaining('file part "reference" was sent twice') } });

    const created = await post('/api/models/iris-ref/versions:import', withReference('X[0],X[2]\n5.1,1.4\n7,4.7\n'));
    expect(created.status).toBe(201);
    expect(importModelsResponseSchema.parse(created.body).versions[0]?.driftReference).toMatchObject({ mediaType: 'application/vnd.slipway.drift-reference.v1+json' });
  });

  it('answers 413 for an upload over SLIPWAY_IMPORT_MAX_BYTES', async () => {
    const tooLarge = await post('/api/models/big/versions:import', form([{ path: 'big.onnx', bytes: new Uint8Array(MAX_BYTES + 1) }]));
    expect(tooLarge).toEqual({ status: 413, body: { error: expect.stringContaining('SLIPWAY_IMPORT_MAX_BYTES') } });
  });

  it('sets the protected production alias only with a token that may', async () => {
    const path = '/api/models/iris-prod/versions:import';
    expect((await post(path, form([{ path: 'iris.onnx', bytes: sklearn }], { alias: 'production' }))).status).toBe(401);
    expect((await post(path, form([{ path: 'iris.onnx', bytes: sklearn }], { alias: 'production' }), { authorization: 'Bearer not-a-token-of-ours' })).status).toBe(401);
    expect((await (await fetch(`${registry.baseUrl}/api/models/iris-prod`)).json()) as unknown).toEqual({ error: 'model "iris-prod" is not registered' });

    const allowed = await post(path, form([{ path: 'iris.onnx', bytes: sklearn }], { alias: 'production' }), { authorization: `Bearer ${TOKEN}` });
    expect(allowed.status).toBe(201);
    expect(importModelsResponseSchema.parse(allowed.body).versions[0]).toMatchObject({ aliases: ['production'], source: { importedBy: 'ci' } });
  });
});
