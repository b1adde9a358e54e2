import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asNetworkSpec, metricValue, modelSpecSchema, TF_BACKENDS, type PlatformSummary, type RegisteredModel, type Run, type V2InferResponse, type V2ModelMetadata } from '@slipway/contracts';
import { PLATFORM_SERVICES } from '@slipway/local-runtime';
import { getJson, postJson } from './support/http';
import { heldOutTestRows, v2RequestFor } from './support/iris-test-split';
import { startPlatformUnderTest, WORKSPACE_ROOT, type PlatformUnderTest } from './support/platform-under-test';
import { demoPipeline, submitRun, waitForRunToFinish } from './support/runs';
import { sampleValue, waitFor } from '@slipway/testing';

describe('golden path: prepare → train → register → serve → monitor', () => {
  let platform: PlatformUnderTest;
  let run: Run;
  const pipeline = demoPipeline();

  beforeAll(async () => {
    platform = await startPlatformUnderTest();
    const submitted = await submitRun(platform.urls['model-registry'], pipeline);
    run = await waitForRunToFinish(platform.urls['model-registry'], submitted.id);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('every service answers liveness, readiness and Prometheus metrics', async () => {
    for (const service of PLATFORM_SERVICES) {
      const base = platform.urls[service];
      expect((await getJson(`${base}/healthz`)).status).toBe(200);
      expect((await getJson(`${base}/readyz`)).status).toBe(200);
      const metrics = await getJson<string>(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.body).toContain(`service="${service}"`);
    }
  });

  it('records the run with its steps, epochs, dataset digest, backend and metrics', () => {
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(run.steps.map((step) => [step.name, step.status])).toEqual([
      ['prepare', 'succeeded'],
      ['train', 'succeeded'],
      ['register', 'succeeded'],
      ['promote', 'succeeded'],
    ]);
    for (const step of run.steps) expect(step.durationMs).toBeGreaterThanOrEqual(0);
    expect(run.epochs.map((epoch) => epoch.epoch)).toEqual(Array.from({ length: asNetworkSpec(modelSpecSchema.parse(pipeline.model.spec)).epochs }, (_, i) => i + 1));
    const csv = readFileSync(join(WORKSPACE_ROOT, pipeline.dataset.uri));
    expect(run.datasetDigest).toBe(`sha256:${createHash('sha256').update(csv).digest('hex')}`);
    expect(TF_BACKENDS).toContain(run.backend);
    expect((run.metrics === null ? undefined : metricValue(run.metrics, 'test.accuracy'))).toBeGreaterThanOrEqual(pipeline.promotion?.minTestAccuracy ?? 0.9);
    expect(run.promotedTo).toBe('production');
  });

  it('registers the model and points production at the new version', async () => {
    const { body: model } = await getJson<RegisteredModel>(`${platform.urls['model-registry']}/api/models/${pipeline.model.name}`);
    expect(run.modelVersion).not.toBeNull();
    expect(model.aliases['production']).toBe(run.modelVersion?.version);
    const version = model.versions.find((v) => v.version === run.modelVersion?.version);
    expect(version).toMatchObject({ format: 'slipway-tfjs', runId: run.id, datasetDigest: run.datasetDigest });
  });

  it('serves the version over the Open Inference Protocol and reproduces the test accuracy on held-out rows', async () => {
    const serving = platform.urls.serving;
    const version = String(run.modelVersion?.version);
    const metadata = await waitFor('serving to load the new version', async () => {
      const answer = await getJson<V2ModelMetadata>(`${serving}/v2/models/${pipeline.model.name}`);
      return answer.status === 200 && answer.body.versions.includes(version) ? answer.body : undefined;
    });
    const { rows, features, label } = heldOutTestRows(pipeline.dataset);
    expect(metadata.inputs.map((input) => input.name)).toEqual(features);
    expect((await getJson(`${serving}/v2/health/ready`)).status).toBe(200);
    expect((await getJson(`${serving}/v2/models/${pipeline.model.name}/ready`)).status).toBe(200);

    const answer = await postJson<V2InferResponse>(`${serving}/v2/models/${pipeline.model.name}/infer`, v2RequestFor(rows, features));
    expect(answer.status).toBe(200);
    expect(answer.body.model_name).toBe(pipeline.model.name);
    expect(answer.body.id).toBe('e2e');
    const predicted = answer.body.outputs.find((output) => output.name === 'label')?.data as string[];
    const probabilities = answer.body.outputs.find((output) => output.name === 'probabilities');
    expect(probabilities?.shape).toEqual([rows.length, 3]);
    const correct = rows.filter((row, i) => row[label] === predicted[i]).length;
    // Serving applies the transform bundled with the model: its accuracy on the test split is the trainer's own.
    expect(correct / rows.length).toBeCloseTo((run.metrics === null ? undefined : metricValue(run.metrics, 'test.accuracy')) ?? -1, 6);
  });

  it('shows platform-wide figures on monitoring', async () => {
    const monitoring = platform.urls.monitoring;
    const summary = await waitFor('monitoring to see the prediction', async () => {
      const { body } = await getJson<PlatformSummary>(`${monitoring}/api/summary`);
      return body.inference.requests > 0 && body.runs.byStatus['succeeded'] ? body : undefined;
    });
    expect(summary.inference.byModel[pipeline.model.name]?.rows).toBeGreaterThan(0);
    expect(summary.queues['training']).toBeDefined();
    const metrics = await getJson<string>(`${monitoring}/metrics`);
    for (const name of ['slipway_queue_jobs{', 'slipway_queue_jobs_finished_total{', 'slipway_pipeline_runs{', 'slipway_inference_latency_seconds_bucket{']) {
      expect(metrics.body).toContain(name);
    }
  });

  it("shows on monitoring the steps as the registry recorded them: a re-run's cached steps, and the jobs BullMQ counted", async () => {
    const rerun = await waitForRunToFinish(platform.urls['model-registry'], (await submitRun(platform.urls['model-registry'], pipeline)).id);
    expect(rerun.steps.map((step) => [step.name, step.status])).toEqual([
      ['prepare', 'cached'],
      ['train', 'cached'],
      ['register', 'cached'],
      ['promote', 'succeeded'],
    ]);
    expect(rerun.modelVersion).toEqual(run.modelVersion);
    const metrics = await waitFor('monitoring to see the cached training', async () => {
      const { body } = await getJson<string>(`${platform.urls.monitoring}/metrics`);
      return (sampleValue(body, 'slipway_pipeline_steps', { step: 'train', status: 'cached' }) ?? 0) >= 1 ? body : undefined;
    });
    expect(sampleValue(metrics, 'slipway_pipeline_steps', { step: 'promote', status: 'succeeded' })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(metrics, 'slipway_queue_jobs_finished_total', { queue: 'training', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
  });
});
