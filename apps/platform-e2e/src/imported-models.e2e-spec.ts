import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SERVED_BY_HEADER, type ModelAccuracyResponse, type ModelDriftResponse, type V2InferResponse, type V2ModelMetadata } from '@slipway/contracts';
import { waitFor } from '@slipway/testing';
import { getJson, postJson } from './support/http';
import { startPlatformUnderTest, WORKSPACE_ROOT, type PlatformUnderTest } from './support/platform-under-test';
import { runPython, setUpPythonVenv } from './support/python-venv';
import { demoPipeline, submitRun, waitForRunToFinish } from './support/runs';
import { slipway } from './support/slipway-cli';

const FIXTURES = 'libs/model-runtimes/src/onnx/fixtures';
const TFJS_FIXTURES = 'libs/model-runtimes/src/tfjs/fixtures';
const EXPECTED = join(WORKSPACE_ROOT, FIXTURES, 'expected.json');
const PIPELINE = 'sklearn-iris-pipeline.onnx';
/** The iris measurements (no species): sk-iris's reference rows, four columns read in order as X[0] … X[3]. */
const REFERENCE = 'apps/platform-e2e/src/fixtures/iris-measurements.csv';
const CHECK_SCRIPT = 'apps/platform-e2e/python/triton_http_imported_check.py';
const LOAD_WORKERS = 16;
const PROMOTER_TOKEN = 'imported-models-e2e-token-0123456789';

interface Expected {
  file: string;
  inputs: Record<string, number[][]>;
  label: string[];
  probabilities: number[][];
}

const infer = (serving: string, model: string, body: unknown) =>
  fetch(`${serving}/v2/models/${model}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('models imported with the CLI, served beside a trained one', () => {
  let platform: PlatformUnderTest;
  let registry: string;
  let serving: string;
  let expected: Expected;
  let skIrisVersion: number;
  const irisPipeline = demoPipeline();

  const importModel = async (file: string, model: string, ...options: string[]) => {
    const result = await slipway('models', 'import', join(FIXTURES, file), '--name', model, '--alias', 'production', '--registry', registry, '--token', PROMOTER_TOKEN, '--json', ...options);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    return (JSON.parse(result.stdout) as { versions: { version: number }[] }).versions[0]?.version;
  };
  const servedVersion = async (model: string, version: number) =>
    waitFor(`serving to load ${model} v${version}`, async () => {
      const answer = await getJson<V2ModelMetadata>(`${serving}/v2/models/${model}`);
      return answer.status === 200 && answer.body.versions.includes(String(version)) ? true : undefined;
    });

  beforeAll(async () => {
    const env = {
      SLIPWAY_API_TOKENS: JSON.stringify([{ name: 'importer', token: PROMOTER_TOKEN, scopes: ['promote:production'] }]),
      SLIPWAY_PROTECTED_ALIASES: 'production',
      SLIPWAY_PREDICTION_LOG_SAMPLE_RATE: '1',
      SLIPWAY_DRIFT_POLICY: JSON.stringify({ 'sk-iris': { psiThreshold: 0.2, minRows: 100 } }),
    };
    const [started] = await Promise.all([startPlatformUnderTest({ env }), setUpPythonVenv()]);
    platform = started;
    ({ 'model-registry': registry, serving } = platform.urls);
    const { models } = JSON.parse(await readFile(EXPECTED, 'utf8')) as { models: Expected[] };
    expected = models.find((model) => model.file === PIPELINE) as Expected;
    const run = await waitForRunToFinish(registry, (await submitRun(registry, irisPipeline, PROMOTER_TOKEN)).id);
    expect(run.status).toBe('succeeded');
    skIrisVersion = (await importModel(PIPELINE, 'sk-iris', '--reference', REFERENCE)) ?? 0;
    await servedVersion('sk-iris', skIrisVersion);
    await servedVersion('xgb-iris', (await importModel('xgboost-iris.onnx', 'xgb-iris')) ?? 0);
  }, 420_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it("answers scikit-learn's own predictions over V2 JSON within 1e-5", async () => {
    const rows = expected.inputs['X'] ?? [];
    const response = await infer(serving, 'sk-iris', { id: 'held-out', inputs: [{ name: 'X', datatype: 'FP32', shape: [rows.length, 4], data: rows.flat() }] });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as V2InferResponse;
    expect(answer.outputs.find((output) => output.name === 'output_label')?.data).toEqual(expected.label);
    const probabilities = answer.outputs.find((output) => output.name === 'output_probability')?.data as number[];
    const worst = Math.max(...expected.probabilities.flat().map((value, index) => Math.abs(value - (probabilities[index] ?? Number.NaN))));
    expect(worst).toBeLessThan(1e-5);
  });

  it("imports a TensorFlow.js Graph model and answers TensorFlow's own predictions within 1e-5", async () => {
    const { models } = JSON.parse(await readFile(join(WORKSPACE_ROOT, TFJS_FIXTURES, 'expected.json'), 'utf8')) as { models: { folder: string; inputs: Record<string, number[][]>; label: number[]; probabilities: number[][] }[] };
    const graph = models.find((model) => model.folder === 'graph-mlp');
    const rows = graph?.inputs['features'] ?? [];
    const imported = await slipway('models', 'import', join(TFJS_FIXTURES, 'graph-mlp'), '--name', 'tf-graph', '--alias', 'production', '--registry', registry, '--token', PROMOTER_TOKEN, '--json');
    expect({ code: imported.code, stderr: imported.stderr }).toEqual({ code: 0, stderr: '' });
    await servedVersion('tf-graph', 1);
    const response = await infer(serving, 'tf-graph', { inputs: [{ name: 'features', datatype: 'FP32', shape: [rows.length, 4], data: rows.flat() }] });
    const answer = (await response.json()) as V2InferResponse;
    expect(answer.outputs.find((output) => output.name === 'label')?.data).toEqual(graph?.label);
    const probabilities = answer.outputs.find((output) => output.name === 'probabilities')?.data as number[];
    expect(Math.max(...(graph?.probabilities.flat() ?? []).map((value, index) => Math.abs(value - (probabilities[index] ?? Number.NaN))))).toBeLessThan(1e-5);
  });

  it('logs the prediction for monitoring: feedback on it gives live accuracy', async () => {
    // One row's true label differs from the model's answer: live accuracy must count exactly that row wrong.
    const truth = expected.label.map((label, index) => (index === 0 ? `not-${label}` : label));
    const accepted = await waitFor('monitoring to hold the sampled prediction', async () => {
      const answer = await postJson<{ accepted: number; rows: number }>(`${platform.urls.monitoring}/api/feedback`, { feedback: [{ predictionId: 'held-out', labels: truth }] });
      return answer.status === 200 ? answer.body : undefined;
    });
    expect(accepted).toEqual({ accepted: 1, rows: truth.length });
    const { body: accuracy } = await getJson<ModelAccuracyResponse>(`${platform.urls.monitoring}/api/models/sk-iris/accuracy`);
    expect(accuracy.versions[0]).toMatchObject({ labelledRows: truth.length, correctRows: truth.length - 1 });
  });

  it("judges the imported model's input columns against its reference rows: a shifted petal length drifts", async () => {
    const measurements = (await readFile(join(WORKSPACE_ROOT, REFERENCE), 'utf8')).trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
    const shifted = measurements.map(([sepalLength, sepalWidth, petalLength, petalWidth]) => [sepalLength, sepalWidth, (petalLength ?? 0) + 5, petalWidth]);
    const response = await infer(serving, 'sk-iris', { id: 'shifted', inputs: [{ name: 'X', datatype: 'FP32', shape: [shifted.length, 4], data: shifted.flat() }] });
    expect(response.status).toBe(200);
    // The window holds the held-out rows sent before and these.
    const windowRows = (expected.inputs['X']?.length ?? 0) + shifted.length;
    const judged = await waitFor('monitoring to judge the shifted window of sk-iris', async () => {
      const { body } = await getJson<ModelDriftResponse>(`${platform.urls.monitoring}/api/models/sk-iris/drift`);
      const version = body.versions.find((candidate) => candidate.version === skIrisVersion);
      return version?.windowRows === windowRows && version.evaluatedAt !== null ? version : undefined;
    });
    expect(judged).toMatchObject({ unavailable: null, drifted: true, minRows: 100 });
    const psiOf = (feature: string) => judged.features.find((drift) => drift.feature === feature)?.psi;
    expect(psiOf('X[2]')).toBeGreaterThan(0.2);
    for (const calm of ['X[0]', 'X[1]', 'X[3]']) expect(psiOf(calm)).toBeLessThan(0.2);
  });

  it('says why a model imported without reference rows has no drift', async () => {
    const rows = expected.inputs['X'] ?? [];
    expect((await infer(serving, 'xgb-iris', { inputs: [{ name: 'features', datatype: 'FP32', shape: [rows.length, 4], data: rows.flat() }] })).status).toBe(200);
    const unavailable = await waitFor('monitoring to report the drift of xgb-iris', async () => {
      const { body } = await getJson<ModelDriftResponse>(`${platform.urls.monitoring}/api/models/xgb-iris/drift`);
      return body.versions[0]?.unavailable ?? undefined;
    });
    expect(unavailable).toContain('xgb-iris@1 is an onnx model imported without --reference: it has no reference rows to compare against');
  });

  it('passes the real tritonclient checks, JSON and binary, against the imported model', async () => {
    const result = await runPython(CHECK_SCRIPT, ['--url', serving, '--model', 'sk-iris', '--expected', EXPECTED, '--fixture', PIPELINE]);
    expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: expect.stringContaining('all checks passed') });
  });

  it('answers every request under load on all three models while the imported model’s alias moves to a new version', async () => {
    const row = expected.inputs['X']?.[0] ?? [];
    const bodies: Record<string, unknown> = {
      [irisPipeline.model.name]: { inputs: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map((name, index) => ({ name, datatype: 'FP32', shape: [1], data: [row[index]] })) },
      'sk-iris': { inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 4], data: row }] },
      'xgb-iris': { inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4], data: row }] },
    };
    const failures: string[] = [];
    const servedBy = new Set<string>();
    let moved = false;
    let requests = 0;
    const worker = async (offset: number) => {
      const models = Object.keys(bodies);
      for (let index = offset; !moved || index < offset + 3 * models.length * 20; index += 1) {
        const model = models[index % models.length] as string;
        const response = await infer(serving, model, bodies[model]);
        requests += 1;
        if (response.status !== 200) failures.push(`${model}: ${response.status} ${await response.text()}`);
        else await response.arrayBuffer();
        if (model === 'sk-iris') servedBy.add(response.headers.get(SERVED_BY_HEADER) ?? '');
      }
    };
    const load = Promise.all(Array.from({ length: LOAD_WORKERS }, (_, offset) => worker(offset)));
    const next = (await slipway('models', 'import', join(FIXTURES, 'sklearn-iris-pipeline-tensors.onnx'), '--name', 'sk-iris', '--registry', registry, '--json')).stdout;
    const version = (JSON.parse(next) as { versions: { version: number }[] }).versions[0]?.version ?? 0;
    expect((await slipway('models', 'alias', 'set', 'sk-iris', 'production', String(version), '--registry', registry, '--token', PROMOTER_TOKEN)).code).toBe(0);
    await waitFor('serving to answer sk-iris from the new version', async () => (servedBy.has(`sk-iris@${version}`) ? true : undefined));
    moved = true;
    await load;
    expect(failures).toEqual([]);
    expect(servedBy).toEqual(new Set([`sk-iris@${version - 1}`, `sk-iris@${version}`]));
    expect(requests).toBeGreaterThan(LOAD_WORKERS * 3 * 20);
  });
});
