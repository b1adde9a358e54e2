import { DEFAULT_SERVING_ALIAS, emptyPredictionLogGroup, trafficPolicySchema, type PreparedDatasetRef, type V2InferResponse } from '@slipway/contracts';
import { ModelRepository } from '../repository/model-repository';
import { TrafficRouter } from '../routing/traffic-router';
import { InferenceStatistics } from '../statistics/inference-statistics';
import { appendSample, type PredictionSample } from '../logging/prediction-sample';
import { createWorkspace, modelVersion, prepareIris, untrainedModel, type ModelWorkspace } from '../testing/model-fixtures';
import { InferenceGateway, type RequestOutcome, type ShadowOutcome } from './inference-gateway';

jest.setTimeout(60_000);

const row = { sepal_length: [5.1, 6.7], sepal_width: [3.5, 3.0], petal_length: [1.4, 5.2], petal_width: [0.2, 2.3] };
const body = { inputs: Object.entries(row).map(([name, data]) => ({ name, datatype: 'FP32', shape: [2], data })) };

describe('InferenceGateway', () => {
  let workspace: ModelWorkspace;
  let dataset: PreparedDatasetRef;
  let repository: ModelRepository;
  const requests: RequestOutcome[] = [];
  const shadows: ShadowOutcome[] = [];
  let onShadow: (outcome: ShadowOutcome) => void = () => undefined;

  beforeAll(async () => {
    workspace = await createWorkspace();
    dataset = await prepareIris(workspace.store);
    repository = new ModelRepository(workspace.store, { batching: { maxBatchSize: 8, maxQueueDelayUs: 500, maxQueueSize: 100 } });
    for (const version of [1, 2]) await repository.load(modelVersion('iris', version, await untrainedModel(workspace.store, dataset, version * 11), dataset));
    repository.setDesiredModels(['iris']);
    repository.setAlias('iris', DEFAULT_SERVING_ALIAS, 1);
    repository.setAlias('iris', 'challenger', 2);
  });

  afterAll(() => workspace.dispose());

  beforeEach(() => {
    requests.length = 0;
    shadows.length = 0;
  });

  const gatewayWith = (policy: unknown, random = Math.random) =>
    new InferenceGateway(repository, new TrafficRouter(trafficPolicySchema.parse(policy), random), new InferenceStatistics(), {
      request: (outcome) => requests.push(outcome),
      shadow: (outcome) => {
        shadows.push(outcome);
        onShadow(outcome);
      },
    });

  it('falls back to production when the split lands on an alias this replica has not loaded', async () => {
    const gateway = gatewayWith({ iris: { routes: [{ alias: 'canary', weight: 100 }] } });
    const { servedBy } = await gateway.inferV2('iris', undefined, body);
    expect(servedBy).toBe('iris@1');
    expect(requests).toEqual([expect.objectContaining({ route: 'fallback', target: DEFAULT_SERVING_ALIAS, ok: true, rows: 2 })]);
  });

  it('sends the shadow a copy after answering and counts rows where the labels differ', async () => {
    const gateway = gatewayWith({ iris: { routes: [{ alias: 'production', weight: 100 }], shadow: 'challenger' } });
    const shadowed = new Promise<ShadowOutcome>((resolve) => (onShadow = resolve));
    const { answer } = await gateway.inferV2('iris', undefined, body);
    const outcome = await shadowed;
    const challenger = (await gateway.inferV2('iris', 'challenger', body)).answer;
    const labels = (response: V2InferResponse) => response.outputs.find((output) => output.name === 'label')?.data as string[];
    const expected = labels(answer).filter((label, i) => label !== labels(challenger)[i]).length;
    expect(outcome).toEqual({ model: 'iris', champion: 1, challenger: 'challenger', rows: 2, disagreements: expected });
  });

  it("counts a shadow's copy as an inference of the challenger version, which never executes more than it infers", async () => {
    const statistics = new InferenceStatistics();
    const observed = new ModelRepository(workspace.store, { observe: (model, execution) => statistics.recordExecution(model.name, model.version, execution) });
    for (const version of [1, 2]) await observed.load(modelVersion('iris', version, await untrainedModel(workspace.store, dataset, version * 11), dataset));
    observed.setDesiredModels(['iris']);
    observed.setAlias('iris', DEFAULT_SERVING_ALIAS, 1);
    observed.setAlias('iris', 'challenger', 2);
    const shadowed = new Promise<ShadowOutcome>((resolve) => (onShadow = resolve));
    const gateway = new InferenceGateway(observed, new TrafficRouter(trafficPolicySchema.parse({ iris: { routes: [{ alias: 'production', weight: 100 }], shadow: 'challenger' } })), statistics, {
      request: () => undefined,
      shadow: (outcome) => onShadow(outcome),
    });

    await gateway.inferV2('iris', undefined, body);
    await shadowed;

    const [champion, challenger] = statistics.forModel('iris', [1, 2]);
    expect([champion?.execution_count, champion?.inference_count, champion?.inference_stats.success.count]).toEqual([1, 2, 1]);
    expect([challenger?.execution_count, challenger?.inference_count, challenger?.inference_stats.success.count]).toEqual([1, 2, 1]);
  });

  it('reports a failed request on the version that failed it, and never shadows a bad request', async () => {
    const gateway = gatewayWith({ iris: { routes: [{ alias: 'production', weight: 100 }], shadow: 'challenger' } });
    await expect(gateway.inferV2('iris', undefined, { inputs: [] })).rejects.toThrow(/inputs/);
    expect(requests).toEqual([expect.objectContaining({ version: 1, ok: false })]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(shadows).toEqual([]);
  });

  it('answers KServe V1 instances with one label per instance', async () => {
    const gateway = gatewayWith({});
    const instances = [[5.1, 3.5, 1.4, 0.2], { sepal_length: 6.7, sepal_width: 3.0, petal_length: 5.2, petal_width: 2.3 }];
    const { answer } = await gateway.predictV1('iris', { instances });
    const v2 = (await gateway.inferV2('iris', '1', body)).answer;
    expect(answer.predictions).toEqual(v2.outputs.find((output) => output.name === 'label')?.data);
  });
  it('reports inputs and predicted labels of sampled predictions under the request id, and none when not sampled', async () => {
    const sampled = new InferenceGateway(repository, new TrafficRouter({}), new InferenceStatistics(), { request: (o) => requests.push(o), shadow: () => undefined }, { predictionSampleRate: 1 });
    const { answer, predictionId } = await sampled.inferV2('iris', undefined, { ...body, id: 'req-7' });
    expect(predictionId).toBe('req-7');
    const sample = requests[0]?.prediction;
    expect(sample).toBeDefined();
    const { samples } = emptyPredictionLogGroup('iris', 1);
    appendSample(samples, sample as PredictionSample);
    expect(samples).toEqual({
      ids: ['req-7'],
      answeredAtMs: [expect.any(Number)],
      rows: [2],
      inputs: row,
      labels: answer.outputs.find((output) => output.name === 'label')?.data,
    });
    const unsampled = new InferenceGateway(repository, new TrafficRouter({}), new InferenceStatistics(), { request: (o) => requests.push(o), shadow: () => undefined }, { predictionSampleRate: 0 });
    const second = await unsampled.inferV2('iris', undefined, body);
    expect(second.predictionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests[1]?.prediction).toBeUndefined();
  });
});
