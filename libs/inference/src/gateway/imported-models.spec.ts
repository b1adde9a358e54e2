import { DEFAULT_SERVING_ALIAS, type V2InferOutput } from '@slipway/contracts';
import { InferenceInputError } from '@slipway/model-runtimes';
import { buildTritonModelConfig } from '../protocol/triton-model-config';
import { buildV2ModelMetadata } from '../protocol/v2-model-metadata';
import { ModelRepository } from '../repository/model-repository';
import { TrafficRouter } from '../routing/traffic-router';
import { InferenceStatistics } from '../statistics/inference-statistics';
import { importedOnnxVersion, onnxFixtureRows, type OnnxFixtureRows } from '../testing/imported-fixtures';
import { createWorkspace, modelVersion, prepareIris, untrainedModel, type ModelWorkspace } from '../testing/model-fixtures';
import { InferenceGateway, type RequestOutcome, type ShadowOutcome } from './inference-gateway';

const PIPELINE = 'sklearn-iris-pipeline.onnx';
const largestDifference = (ours: readonly unknown[], theirs: readonly number[]) => Math.max(...theirs.map((value, index) => Math.abs(Number(ours[index]) - value)));
const output = (outputs: readonly V2InferOutput[], name: string) => outputs.find((candidate) => candidate.name === name);
const rowsBody = (rows: number[][], extra: object = {}) => ({ inputs: [{ name: 'X', datatype: 'FP32', shape: [rows.length, 4], data: rows.flat() }], ...extra });

describe('InferenceGateway serving imported ONNX models beside a trained one', () => {
  let workspace: ModelWorkspace;
  let repository: ModelRepository;
  let statistics: InferenceStatistics;
  let gateway: InferenceGateway;
  let expected: OnnxFixtureRows;
  const requests: RequestOutcome[] = [];
  let nextShadow: (outcome: ShadowOutcome) => void = () => undefined;

  beforeAll(async () => {
    workspace = await createWorkspace();
    statistics = new InferenceStatistics();
    repository = new ModelRepository(workspace.store, {
      batching: { maxBatchSize: 64, maxQueueDelayUs: 2_000, maxQueueSize: 100 },
      observe: (model, execution) => statistics.recordExecution(model.name, model.version, execution),
    });
    expected = await onnxFixtureRows(PIPELINE);
    await repository.load(await importedOnnxVersion(workspace.store, PIPELINE, 'sk-iris', 1));
    // The same pipeline again: a challenger that must agree on every row.
    await repository.load(await importedOnnxVersion(workspace.store, PIPELINE, 'sk-iris', 2));
    await repository.load(await importedOnnxVersion(workspace.store, 'xgboost-iris.onnx', 'xgb-iris', 1, { maxBatchSize: 0 }));
    const iris = await prepareIris(workspace.store);
    await repository.load(modelVersion('iris', 1, await untrainedModel(workspace.store, iris, 3), iris));
    for (const [name, version] of [['sk-iris', 1], ['xgb-iris', 1], ['iris', 1]] as const) repository.setAlias(name, DEFAULT_SERVING_ALIAS, version);
    repository.setAlias('sk-iris', 'challenger', 2);
    const router = new TrafficRouter({ 'sk-iris': { routes: [{ alias: DEFAULT_SERVING_ALIAS, weight: 1 }], shadow: 'challenger' } });
    gateway = new InferenceGateway(repository, router, statistics, { request: (outcome) => requests.push(outcome), shadow: (outcome) => nextShadow(outcome) });
  });

  afterAll(async () => {
    for (const { name, version } of repository.list()) await repository.unload(name, version);
    await workspace.dispose();
  });

  it("answers scikit-learn's own labels and probabilities for held-out rows within 1e-5, over V2", async () => {
    const rows = expected.inputs['X'] ?? [];
    const { answer, servedBy } = await gateway.inferV2('sk-iris', undefined, rowsBody(rows, { id: 'held-out' }));
    expect(servedBy).toBe('sk-iris@1');
    expect(answer.id).toBe('held-out');
    expect(output(answer.outputs, 'output_label')).toEqual({ name: 'output_label', datatype: 'BYTES', shape: [rows.length], data: expected.label });
    const probabilities = output(answer.outputs, 'output_probability');
    expect(probabilities?.shape).toEqual([rows.length, 3]);
    expect(largestDifference(probabilities?.data ?? [], expected.probabilities?.flat() ?? [])).toBeLessThan(1e-5);
  });

  it('samples the prediction for monitoring: each column of the input tensor a feature, the label tensor the answer', async () => {
    const rows = (expected.inputs['X'] ?? []).slice(0, 2);
    await gateway.inferV2('sk-iris', '1', rowsBody(rows, { id: 'sampled' }));
    const sample = requests.at(-1)?.prediction;
    expect(sample).toMatchObject({ id: 'sampled', rows: 2, labels: expected.label?.slice(0, 2) });
    expect(sample?.columns).toEqual(Object.fromEntries([0, 1, 2, 3].map((column) => [`X[${column}]`, rows.map((row) => Math.fround(row[column] ?? 0))])));
  });

  it('batches concurrent requests along the batch dimension and gives every caller exactly its own rows', async () => {
    const rows = expected.inputs['X'] ?? [];
    const before = statistics.forModel('sk-iris', [1])[0]?.execution_count ?? 0;
    const answers = await Promise.all(rows.map((row) => gateway.inferV2('sk-iris', '1', rowsBody([row], { outputs: [{ name: 'output_label' }] }))));
    expect(answers.map(({ answer }) => answer.outputs.map((o) => o.name))).toEqual(rows.map(() => ['output_label']));
    expect(answers.map(({ answer }) => answer.outputs[0]?.data[0])).toEqual(expected.label);
    const executions = (statistics.forModel('sk-iris', [1])[0]?.execution_count ?? 0) - before;
    expect(executions).toBeLessThan(rows.length);
  });

  it('answers KServe V1 instances with one object of outputs per row', async () => {
    const rows = (expected.inputs['X'] ?? []).slice(0, 3);
    const { answer } = await gateway.predictV1('sk-iris', { instances: rows });
    expect(answer.predictions.map((prediction) => (prediction as { output_label: string }).output_label)).toEqual(expected.label?.slice(0, 3));
    const probabilities = answer.predictions.flatMap((prediction) => (prediction as { output_probability: number[] }).output_probability);
    expect(largestDifference(probabilities, expected.probabilities?.slice(0, 3).flat() ?? [])).toBeLessThan(1e-5);
  });

  it('sends the shadow alias a copy and counts the rows on which it disagrees', async () => {
    const rows = expected.inputs['X'] ?? [];
    const shadowed = new Promise<ShadowOutcome>((resolve) => (nextShadow = (outcome) => outcome.rows === rows.length && resolve(outcome)));
    await gateway.inferV2('sk-iris', undefined, rowsBody(rows));
    expect(await shadowed).toEqual({ model: 'sk-iris', champion: 1, challenger: 'challenger', rows: rows.length, disagreements: 0 });
  });

  it('refuses a request its tensors do not fit, naming the input, before it can join a batch', async () => {
    await expect(gateway.inferV2('sk-iris', '1', { inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] })).rejects.toThrow(
      new InferenceInputError('input "X" has shape [1, 3]; the model takes [-1, 4] (-1: any size)'),
    );
    await expect(gateway.inferV2('sk-iris', '1', rowsBody([[1, 2, 3, 4]], { outputs: [{ name: 'probabilities' }] }))).rejects.toThrow('output "probabilities" does not exist');
    await expect(gateway.inferV2('sk-iris', '1', { inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 'x'] }] })).rejects.toThrow('input "X" value 3 is "x"');
    expect(requests.at(-1)).toMatchObject({ model: 'sk-iris', ok: false });
  });

  it('describes an imported model by its own tensors, platform and class labels', () => {
    const metadata = buildV2ModelMetadata(repository.resolve('sk-iris', '1'), [1, 2]);
    expect(metadata).toEqual({
      name: 'sk-iris',
      versions: ['1', '2'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'X', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [
        { name: 'output_label', datatype: 'BYTES', shape: [-1] },
        { name: 'output_probability', datatype: 'FP32', shape: [-1, 3] },
      ],
      parameters: { class_labels: { output_probability: ['setosa', 'versicolor', 'virginica'] } },
    });
  });

  it("answers Triton's model configuration: the batch dimension out of dims when requests batch along it", () => {
    expect(buildTritonModelConfig(repository.resolve('sk-iris', '1'))).toEqual({
      name: 'sk-iris',
      platform: 'onnxruntime_onnx',
      max_batch_size: 64,
      input: [{ name: 'X', data_type: 'TYPE_FP32', dims: [4] }],
      output: [
        { name: 'output_label', data_type: 'TYPE_STRING', dims: [] },
        { name: 'output_probability', data_type: 'TYPE_FP32', dims: [3] },
      ],
      dynamic_batching: { max_queue_delay_microseconds: 2_000 },
    });
    expect(buildTritonModelConfig(repository.resolve('xgb-iris'))).toMatchObject({ max_batch_size: 0, input: [{ name: 'features', data_type: 'TYPE_FP32', dims: [-1, 4] }] });
    expect(buildTritonModelConfig(repository.resolve('xgb-iris'))).not.toHaveProperty('dynamic_batching');
  });

  it('runs a model whose config has no batch dimension one request at a time, the whole request one sample', async () => {
    const xgb = await onnxFixtureRows('xgboost-iris.onnx');
    const rows = xgb.inputs['features'] ?? [];
    const { answer } = await gateway.inferV2('xgb-iris', undefined, { inputs: [{ name: 'features', datatype: 'FP32', shape: [rows.length, 4], data: rows.flat() }] });
    expect(output(answer.outputs, 'label')?.data).toEqual(xgb.label);
  });

  it('keeps serving the trained model in the same replica', async () => {
    const { answer } = await gateway.predictV1('iris', { instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }] });
    expect(answer.predictions).toHaveLength(1);
    expect(['setosa', 'versicolor', 'virginica']).toContain(answer.predictions[0]);
  });
});
