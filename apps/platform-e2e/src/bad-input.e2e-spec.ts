import type { V2InferResponse } from '@slipway/contracts';
import { getJson, postJson } from './support/http';
import { heldOutTestRows, v2RequestFor } from './support/iris-test-split';
import { startPlatformUnderTest, type PlatformUnderTest } from './support/platform-under-test';
import { demoPipeline, submitRun, waitForRunToFinish } from './support/runs';
import { waitFor } from '@slipway/testing';

describe('bad input gets a clear error, never a crash', () => {
  let platform: PlatformUnderTest;
  let registry: string;

  beforeAll(async () => {
    platform = await startPlatformUnderTest();
    registry = platform.urls['model-registry'];
  });

  afterAll(async () => {
    await platform?.stop();
  });

  afterEach(async () => {
    // Whatever a bad run did, no service may have died of it.
    for (const url of Object.values(platform.urls)) expect((await getJson(`${url}/healthz`)).status).toBe(200);
  });

  describe('pipeline runs', () => {
    it('fails a run whose CSV does not exist, naming the file, at the prepare step', async () => {
      const pipeline = { ...demoPipeline(), dataset: { ...demoPipeline().dataset, uri: 'data/no-such-file.csv' } };
      const run = await waitForRunToFinish(registry, (await submitRun(registry, pipeline)).id);
      expect(run.status).toBe('failed');
      expect(run.error).toContain('no-such-file.csv');
      expect(run.steps.find((step) => step.name === 'prepare')?.status).toBe('failed');
      expect(run.steps.find((step) => step.name === 'prepare')?.attempts).toBe(1);
    });

    it('fails a run whose label column does not exist, naming the column', async () => {
      const pipeline = { ...demoPipeline(), dataset: { ...demoPipeline().dataset, labelColumn: 'kind' } };
      const run = await waitForRunToFinish(registry, (await submitRun(registry, pipeline)).id);
      expect(run.status).toBe('failed');
      expect(run.error).toContain('kind');
    });

    it('fails a run whose model cannot be built, naming the layer field, at the train step', async () => {
      const base = demoPipeline();
      const hugeLayers = [
        { type: 'dense' as const, units: 65_536 },
        { type: 'dense' as const, units: 65_536 },
      ];
      const pipeline = { ...base, model: { ...base.model, spec: { ...base.model.spec, layers: hugeLayers } } };
      const run = await waitForRunToFinish(registry, (await submitRun(registry, pipeline)).id);
      expect(run.status).toBe('failed');
      expect(run.steps.find((step) => step.name === 'train')?.status).toBe('failed');
      expect(run.error).toContain('layers.1.units');
    });

    it('rejects an unknown layer type and a bad hyperparameter before queueing, naming the fields', async () => {
      const base = demoPipeline();
      const spec = { ...base.model.spec, layers: [{ type: 'convolution3d', units: 4 }], learningRate: -1 };
      const answer = await postJson<{ error: string }>(`${registry}/api/runs`, { pipeline: { ...base, model: { ...base.model, spec } } });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toContain('pipeline.model.spec.layers.0.type');
      expect(answer.body.error).toContain('pipeline.model.spec.learningRate');
      expect((await getJson<{ runs: unknown[] }>(`${registry}/api/runs?limit=100`)).body.runs.length).toBe(3);
    });

    it('answers 404 for an unknown run', async () => {
      const answer = await getJson<{ error: string }>(`${registry}/api/runs/run-does-not-exist`);
      expect(answer.status).toBe(404);
      expect(answer.body.error).toContain('run-does-not-exist');
    });
  });

  describe('inference', () => {
    let inferUrl: string;
    let validRequest: ReturnType<typeof v2RequestFor>;

    beforeAll(async () => {
      const pipeline = demoPipeline();
      const run = await waitForRunToFinish(registry, (await submitRun(registry, pipeline)).id);
      expect(run.status).toBe('succeeded');
      inferUrl = `${platform.urls.serving}/v2/models/${pipeline.model.name}/infer`;
      const { rows, features } = heldOutTestRows(pipeline.dataset);
      validRequest = v2RequestFor(rows.slice(0, 2), features);
      await waitFor('serving to load the model', async () => ((await postJson(inferUrl, validRequest)).status === 200 ? true : undefined));
    });

    const expectBadRequest = async (body: unknown, ...mentions: string[]) => {
      const answer = await postJson<{ error: string }>(inferUrl, body);
      expect(answer.status).toBe(400);
      expect(answer.contentType).toBe('application/json');
      for (const mention of mentions) expect(answer.body.error).toContain(mention);
    };

    it('names an unknown input', () =>
      expectBadRequest({ inputs: [...validRequest.inputs.slice(1), { ...validRequest.inputs[0], name: 'sepal_len' }] }, 'sepal_len'));

    // An absent feature is imputed like a missing value, so leaving one out is not an error; giving one twice is.
    it('names an input given twice', () => expectBadRequest({ inputs: [...validRequest.inputs, validRequest.inputs[0]] }, 'sepal_length', 'more than once'));

    it('names an input whose shape does not match its data', () =>
      expectBadRequest({ inputs: validRequest.inputs.map((input, i) => (i === 2 ? { ...input, shape: [3] } : input)) }, 'petal_length'));

    it('names an input with the wrong datatype', () =>
      expectBadRequest({ inputs: validRequest.inputs.map((input, i) => (i === 1 ? { ...input, datatype: 'BYTES', data: ['a', 'b'] } : input)) }, 'sepal_width'));

    it('names an input with a non-numeric value', () =>
      expectBadRequest({ inputs: validRequest.inputs.map((input, i) => (i === 3 ? { ...input, data: [0.2, 'wide'] } : input)) }, 'petal_width'));

    it('answers 404 for an unknown model', async () => {
      const answer = await postJson<{ error: string }>(inferUrl.replace('/iris/', '/tulip/'), validRequest);
      expect(answer.status).toBe(404);
      expect(answer.body.error).toContain('tulip');
    });

    it('still answers a good request after the bad ones', async () => {
      const answer = await postJson<V2InferResponse>(inferUrl, validRequest);
      expect(answer.status).toBe(200);
      expect(answer.body.outputs.find((output) => output.name === 'label')?.shape).toEqual([2]);
    });
  });
});
