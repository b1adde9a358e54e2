import { emptyPredictionLogGroup, platformSummarySchema, predictionLogOfRecords } from '@slipway/contracts';
import { Registry } from 'prom-client';
import { PlatformMetrics } from './platform-metrics';

describe('PlatformMetrics', () => {
  let registry: Registry;
  let metrics: PlatformMetrics;

  beforeEach(() => {
    registry = new Registry();
    metrics = new PlatformMetrics(registry);
  });

  it('tracks each run by its latest status', () => {
    const at = new Date().toISOString();
    metrics.runStatusChanged({ runId: 'a', pipelineName: 'p', status: 'running', at });
    metrics.runStatusChanged({ runId: 'b', pipelineName: 'p', status: 'running', at });
    metrics.runStatusChanged({ runId: 'a', pipelineName: 'p', status: 'succeeded', at });
    expect(metrics.summary().runs).toEqual({ total: 2, byStatus: { running: 1, succeeded: 1 } });
  });

  it('aggregates prediction batches per model and overall', async () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ model: i % 2 ? 'iris' : 'wine', version: 1, rows: 2, latencyMs: i, ok: i !== 7 })); // record 7 is an iris request
    expect(metrics.predictionLog(predictionLogOfRecords('serving-1', records))).toBe(50);
    const summary = platformSummarySchema.parse(metrics.summary());
    expect(summary.inference.requests).toBe(50);
    expect(summary.inference.rows).toBe(100);
    expect(summary.inference.errors).toBe(1);
    expect(summary.inference.byModel['iris']?.requests).toBe(25);
    expect(summary.inference.latency.p99Ms).toBe(49);
    const text = await registry.metrics();
    expect(text).toContain('slipway_inference_requests_total{model="iris",version="1",outcome="error"} 1');
    expect(text).toContain('slipway_inference_latency_seconds_count{model="iris",version="1"} 25');
  });

  it('keeps request totals and latency quantiles per model version', () => {
    const records = [
      { model: 'iris', version: 2, rows: 1, latencyMs: 10, ok: true },
      { model: 'iris', version: 1, rows: 3, latencyMs: 4, ok: true },
      { model: 'iris', version: 2, rows: 1, latencyMs: 30, ok: false },
    ];
    metrics.predictionLog(predictionLogOfRecords('serving-1', records));
    expect(metrics.versionStats()).toEqual([
      { model: 'iris', version: 1, requests: 1, errors: 0, rows: 3, p50Ms: 4, p99Ms: 4 },
      { model: 'iris', version: 2, requests: 2, errors: 1, rows: 2, p50Ms: 10, p99Ms: 30 },
    ]);
  });

  it('exports queue depths and finished jobs', async () => {
    metrics.setQueueCounts('training', { waiting: 3, active: 1, delayed: 0, prioritized: 2, completed: 9, failed: 1 });
    metrics.setFinishedJobs('training', { completed: 1, failed: 0 });
    metrics.setFinishedJobs('training', { completed: 1, failed: 1 });
    const text = await registry.metrics();
    expect(text).toContain('slipway_queue_jobs{queue="training",state="waiting"} 3');
    expect(text).toContain('slipway_queue_jobs_finished_total{queue="training",outcome="completed"} 1');
    expect(text).toContain('slipway_queue_jobs_finished_total{queue="training",outcome="failed"} 1');
    expect(metrics.summary().jobs['training']).toEqual({ completed: 1, failed: 1 });
  });

  it('only ever grows the finished-jobs counter, whatever the totals read', async () => {
    metrics.setFinishedJobs('events', { completed: 40, failed: 2 });
    metrics.setFinishedJobs('events', { completed: 5, failed: 0 });
    metrics.setFinishedJobs('events', { completed: 7, failed: 0 });
    const text = await registry.metrics();
    expect(text).toContain('slipway_queue_jobs_finished_total{queue="events",outcome="completed"} 42');
    expect(text).toContain('slipway_queue_jobs_finished_total{queue="events",outcome="failed"} 2');
    expect(metrics.summary().jobs['events']).toEqual({ completed: 7, failed: 0 });
  });

  it('counts the missing values of sampled predictions per feature', async () => {
    const group = { ...emptyPredictionLogGroup('penguins', 3), requests: { latencyMs: [2], rows: [3], ok: [true] } };
    group.samples = { ids: ['p'], answeredAtMs: [1], rows: [3], inputs: { mass: [3750, null, null], island: ['Dream', null, 'Biscoe'] }, labels: ['Adelie', 'Gentoo', 'Adelie'] };
    metrics.predictionLog({ source: 'serving-1', groups: [group] });
    const text = await registry.metrics();
    expect(text).toContain('slipway_prediction_missing_inputs_total{model="penguins",version="3",feature="mass"} 2');
    expect(text).toContain('slipway_prediction_missing_inputs_total{model="penguins",version="3",feature="island"} 1');
  });
});
