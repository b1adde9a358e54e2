import { loadConfig, servingConfig } from '@slipway/config';
import { DEFAULT_SERVING_ALIAS, eventsQueue, predictionLogEventSchema, type V2InferResponse } from '@slipway/contracts';
import { InferenceGateway, InferenceStatistics, ModelRepository, TrafficRouter } from '@slipway/inference';
import { InferenceInputError } from '@slipway/model-runtimes';
import { createMetricsRegistry } from '@slipway/observability';
import { redisOptionsFromUrl, TypedProducer } from '@slipway/queue';
import { FileArtifactStore } from '@slipway/storage';
import { removeQueuePrefix, sampleValue, startTestRedis, uniqueQueuePrefix, type TestRedis } from '@slipway/testing';
import { Queue } from 'bullmq';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { irisVersion } from '../testing/iris-version';
import { ServingTelemetry } from './serving-telemetry';

const ROWS = [
  { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
  { sepal_length: 6.7, sepal_width: 3.0, petal_length: 5.2, petal_width: 2.3 },
  { sepal_length: 5.9, sepal_width: 3.0, petal_length: 4.2, petal_width: 1.5 },
];
const bodyOf = (rows: typeof ROWS, id: string) => ({
  id,
  inputs: Object.keys(ROWS[0] as object).map((name) => ({ name, datatype: 'FP32', shape: [rows.length], data: rows.map((row) => row[name as keyof typeof row]) })),
});
const labelsOf = (answer: V2InferResponse) => answer.outputs.find((output) => output.name === 'label')?.data;

describe('ServingTelemetry with a real model, a real events queue and the Prometheus registry', () => {
  const prefix = uniqueQueuePrefix();
  let redis: TestRedis;
  let queue: Queue;
  let root: string;
  let registry: Registry;
  let statistics: InferenceStatistics;
  let telemetry: ServingTelemetry;
  let gateway: InferenceGateway;

  beforeAll(async () => {
    redis = await startTestRedis();
    queue = new Queue(eventsQueue.name, { connection: redisOptionsFromUrl(redis.url), prefix });
    root = await mkdtemp(join(tmpdir(), 'slipway-serving-telemetry-'));
    const store = new FileArtifactStore(join(root, 'artifacts'));
    registry = createMetricsRegistry('serving');
    statistics = new InferenceStatistics();
    // A flush interval longer than the test: records leave only as full batches or at shutdown.
    const config = loadConfig(servingConfig, { SLIPWAY_PREDICTION_LOG_FLUSH_MS: '600000' });
    telemetry = new ServingTelemetry(registry, new TypedProducer(eventsQueue, queue), config, statistics);
    const repository = new ModelRepository(store, {
      batching: { maxBatchSize: 8, maxQueueDelayUs: 500, maxQueueSize: 100 },
      observe: (model, execution) => {
        telemetry.execution(model, execution);
        statistics.recordExecution(model.name, model.version, execution);
      },
    });
    await repository.load(await irisVersion(store, 1));
    repository.setAlias('iris', DEFAULT_SERVING_ALIAS, 1);
    gateway = new InferenceGateway(repository, new TrafficRouter({}), statistics, telemetry, { predictionSampleRate: 1 });
  });

  afterAll(async () => {
    await queue?.close();
    if (redis) {
      await removeQueuePrefix(redis.url, prefix);
      await redis.stop();
    }
    await rm(root, { recursive: true, force: true });
  });

  it('reports Triton counters that agree with the statistics extension, and sends every prediction with its inputs and labels', async () => {
    const requests = Array.from({ length: 12 }, (_, index) => bodyOf(ROWS.slice(0, 1 + (index % ROWS.length)), `req-${index}`));
    const answers = await Promise.all(requests.map((body) => gateway.inferV2('iris', undefined, body)));
    await expect(gateway.inferV2('iris', undefined, { inputs: [{ name: 'sepal_lenght', datatype: 'FP32', shape: [1], data: [1] }] })).rejects.toThrow(InferenceInputError);

    const metrics = await registry.metrics();
    const [stats] = statistics.forModel('iris', [1]);
    const labels = { model: 'iris', version: '1' };
    const rows = requests.reduce((sum, body) => sum + (body.inputs[0]?.shape[0] ?? 0), 0);
    expect(sampleValue(metrics, 'nv_inference_request_success', labels)).toBe(requests.length);
    expect(sampleValue(metrics, 'nv_inference_request_failure', labels)).toBe(1);
    expect(sampleValue(metrics, 'nv_inference_count', labels)).toBe(rows);
    expect(sampleValue(metrics, 'nv_inference_exec_count', labels)).toBe(stats?.execution_count);
    expect(stats?.execution_count).toBeGreaterThan(0);
    expect(sampleValue(metrics, 'slipway_inference_batch_size_count', labels)).toBe(stats?.execution_count);
    expect(sampleValue(metrics, 'slipway_inference_batch_size_sum', labels)).toBe(rows);
    expect(sampleValue(metrics, 'slipway_inference_duration_seconds_count', labels)).toBe(requests.length + 1);
    const durationUs = sampleValue(metrics, 'nv_inference_request_duration_us', labels) ?? NaN;
    const latencySeconds = sampleValue(metrics, 'slipway_inference_duration_seconds_sum', labels) ?? NaN;
    expect(Math.abs(durationUs - latencySeconds * 1e6)).toBeLessThanOrEqual(requests.length + 1);
    expect(sampleValue(metrics, 'slipway_prediction_records_pending')).toBe(requests.length + 1);

    await telemetry.onApplicationShutdown();
    const jobs = await queue.getJobs(['waiting']);
    expect(new Set(jobs.map((job) => job.name))).toEqual(new Set(['prediction-log']));
    const groups = jobs.flatMap((job) => predictionLogEventSchema.parse(job.data).groups);
    expect(new Set(groups.map(({ model, version }) => `${model}@${version}`))).toEqual(new Set(['iris@1']));
    const answered = groups.flatMap((group) => group.requests.ok.map((ok, i) => ({ ok, rows: group.requests.rows[i] })));
    expect(answered).toHaveLength(requests.length + 1);
    expect(answered.filter((request) => !request.ok)).toEqual([{ ok: false, rows: 0 }]);
    expect(answered.reduce((sum, request) => sum + (request.rows ?? 0), 0)).toBe(rows);
    // Each group's sample columns hold the sampled requests' rows one after another, in the order of its ids.
    expect(groups.flatMap((group) => group.samples.ids).sort()).toEqual(requests.map((body) => body.id).sort());
    for (const { samples } of groups) {
      const sampled = samples.ids.map((id) => requests.findIndex((body) => body.id === id));
      expect(samples.rows).toEqual(sampled.map((index) => requests[index]?.inputs[0]?.shape[0]));
      expect(samples.labels).toEqual(sampled.flatMap((index): unknown[] => labelsOf(answers[index]?.answer as V2InferResponse) ?? []));
      for (const feature of Object.keys(samples.inputs)) {
        expect(samples.inputs[feature]).toEqual(sampled.flatMap((index) => requests[index]?.inputs.find((input) => input.name === feature)?.data ?? []));
      }
      expect(Object.keys(samples.inputs).sort()).toEqual(requests[0]?.inputs.map((input) => input.name).sort());
    }
    const after = await registry.metrics();
    expect(sampleValue(after, 'slipway_prediction_records_sent_total')).toBe(requests.length + 1);
    expect(sampleValue(after, 'slipway_prediction_records_dropped_total')).toBe(0);
    expect(sampleValue(after, 'slipway_prediction_records_pending')).toBe(0);
  });
});
