import {
  driftAlertSchema,
  metricValue,
  pipelineSpecSchema,
  type DriftAlert,
  type FeedbackResponse,
  type ModelAccuracyResponse,
  type ModelDriftResponse,
  type Run,
  type V2InferResponse,
} from '@slipway/contracts';
import type { CsvRecord } from '@slipway/ml';
import { getJson, postJson, request } from './support/http';
import { heldOutTestRows, v2RequestFor } from './support/iris-test-split';
import { startPlatformUnderTest, type PlatformUnderTest } from './support/platform-under-test';
import { demoPipeline, submitRun, waitForRunToFinish } from './support/runs';
import { waitFor } from '@slipway/testing';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

/** Iris rows as a drifted population would send them: flowers measured in a different unit, petals much larger. */
const shifted = (rows: CsvRecord[]): CsvRecord[] =>
  rows.map((row) => ({ ...row, petal_length: String(Number(row['petal_length']) * 2 + 3), petal_width: String(Number(row['petal_width']) * 2 + 2) }));

describe('monitoring closes the loop: sampled predictions → feedback → live accuracy → drift → alert → retraining', () => {
  let platform: PlatformUnderTest;
  let webhook: WebhookReceiver;
  let run: Run;
  let inferUrl: string;
  const pipeline = demoPipeline();
  const retrainPipeline = pipelineSpecSchema.parse({ ...pipeline, name: 'iris-drift-retrain', model: { ...pipeline.model, spec: { ...pipeline.model.spec, epochs: 5 } } });
  const { rows, features, label } = heldOutTestRows(pipeline.dataset);

  beforeAll(async () => {
    webhook = await startWebhookReceiver();
    platform = await startPlatformUnderTest({
      env: {
        SLIPWAY_PREDICTION_LOG_SAMPLE_RATE: '1',
        SLIPWAY_DRIFT_WINDOW_ROWS: '200',
        SLIPWAY_DRIFT_POLICY: JSON.stringify({ iris: { psiThreshold: 0.2, minRows: 100, webhook: webhook.url, retrain: { pipeline: retrainPipeline } } }),
      },
    });
    run = await waitForRunToFinish(platform.urls['model-registry'], (await submitRun(platform.urls['model-registry'], pipeline)).id);
    expect(run.status).toBe('succeeded');
    const version = String(run.modelVersion?.version);
    inferUrl = `${platform.urls.serving}/v2/models/iris/versions/${version}/infer`;
    await waitFor('serving to load the new version', async () => ((await getJson(`${platform.urls.serving}/v2/models/iris/versions/${version}/ready`)).status === 200 ? true : undefined));
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
    await webhook?.close();
  });

  async function infer(id: string, batch: CsvRecord[]): Promise<string[]> {
    const response = await fetch(inferUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...v2RequestFor(batch, features), id }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-slipway-prediction-id')).toBe(id);
    const body = (await response.json()) as V2InferResponse;
    return body.outputs.find((output) => output.name === 'label')?.data as string[];
  }

  const feedbackUrl = () => `${platform.urls.monitoring}/api/feedback`;

  it('rejects malformed feedback naming the field, and unknown prediction ids naming them', async () => {
    const malformed = await postJson<{ error: string }>(feedbackUrl(), { feedback: [{ predictionId: 'x', labels: 'setosa' }] });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toContain('body.feedback.0.labels');
    const empty = await postJson<{ error: string }>(feedbackUrl(), {});
    expect(empty.status).toBe(400);
    expect(empty.body.error).toContain('body.feedback');
    const unknown = await postJson<{ error: string }>(feedbackUrl(), { feedback: [{ predictionId: 'never-made', labels: ['setosa'] }] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toContain('"never-made"');
  });

  it('turns feedback on sampled predictions into live accuracy per model version', async () => {
    const ids = ['normal-1', 'normal-2'];
    for (const id of ids) await infer(id, rows);
    const truth = rows.map((row) => row[label] ?? '');
    const feedback = { feedback: ids.map((predictionId) => ({ predictionId, labels: truth })) };
    // Serving sends sampled predictions in batches; monitoring knows the ids once the batch is consumed.
    const accepted = await waitFor('monitoring to hold the sampled predictions', async () => {
      const answer = await postJson<FeedbackResponse>(feedbackUrl(), feedback);
      return answer.status === 200 ? answer.body : undefined;
    });
    expect(accepted).toEqual({ accepted: 2, rows: 2 * rows.length });

    const wrongCount = await postJson<{ error: string }>(feedbackUrl(), { feedback: [{ predictionId: 'normal-1', labels: ['setosa'] }] });
    expect(wrongCount.status).toBe(400);
    expect(wrongCount.body.error).toContain('body.feedback.0.labels');

    const { body: accuracy } = await getJson<ModelAccuracyResponse>(`${platform.urls.monitoring}/api/models/iris/accuracy`);
    const version = accuracy.versions.find((v) => v.version === run.modelVersion?.version);
    expect(version?.labelledRows).toBe(2 * rows.length);
    // The same held-out rows the trainer scored: live accuracy is the test accuracy.
    expect(version?.accuracy).toBeCloseTo((run.metrics === null ? undefined : metricValue(run.metrics, 'test.accuracy')) ?? -1, 6);
    const metrics = await getJson<string>(`${platform.urls.monitoring}/metrics`);
    expect(metrics.body).toMatch(new RegExp(`slipway_live_accuracy\\{model="iris",version="${run.modelVersion?.version}"[^}]*\\} ${version?.accuracy}`));
  });

  it('detects shifted traffic, alerts the webhook and submits the retraining run the policy names', async () => {
    for (let i = 0; i < 5; i++) await infer(`shifted-${i}`, shifted(rows));
    const alert: DriftAlert = driftAlertSchema.parse(await webhook.first);
    expect(alert.model).toBe('iris');
    expect(alert.version).toBe(run.modelVersion?.version);
    expect(alert.features.map((f) => f.feature)).toEqual(expect.arrayContaining(['petal_length', 'petal_width']));
    for (const feature of alert.features) expect(feature.psi).toBeGreaterThan(0.2);
    expect(webhook.received).toHaveLength(1);

    expect(alert.retrainRunId).not.toBeNull();
    const retrain = await getJson<Run>(`${platform.urls['model-registry']}/api/runs/${alert.retrainRunId}`);
    expect(retrain.status).toBe(200);
    expect(retrain.body.pipelineName).toBe('iris-drift-retrain');

    const { body: drift } = await getJson<ModelDriftResponse>(`${platform.urls.monitoring}/api/models/iris/drift`);
    const version = drift.versions.find((v) => v.version === run.modelVersion?.version);
    expect(version?.drifted).toBe(true);
    const petal = version?.features.find((f) => f.feature === 'petal_length');
    expect(petal?.test.method).toBe('ks');
    expect(petal?.test.pValue).toBeLessThan(0.001);

    const metrics = await getJson<string>(`${platform.urls.monitoring}/metrics`);
    for (const method of ['psi', 'ks_pvalue']) {
      expect(metrics.body).toMatch(new RegExp(`slipway_feature_drift\\{model="iris",version="${run.modelVersion?.version}",feature="petal_length",method="${method}"`));
    }
    const alerts = await request<{ alerts: DriftAlert[] }>('GET', `${platform.urls.monitoring}/api/alerts`);
    expect(alerts.body.alerts.map((a) => a.id)).toContain(alert.id);
  });
});
