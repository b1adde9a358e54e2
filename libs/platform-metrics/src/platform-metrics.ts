import { predictionLogRequestCount, type PlatformSummary, type PredictionLogEvent, type RunStatusChangedEvent } from '@slipway/contracts';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LatencyWindow } from './latency-window';

/** Request totals and latency quantiles of one model version, for the dashboard (rates come from successive snapshots). */
export interface VersionInferenceStats {
  model: string;
  version: number;
  requests: number;
  errors: number;
  rows: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  prioritized: number;
  completed: number;
  failed: number;
}

export interface FinishedJobs {
  completed: number;
  failed: number;
}

interface ModelTotals {
  requests: number;
  errors: number;
  rows: number;
  latency: LatencyWindow;
}

const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Platform-wide figures aggregated from polled queue figures, run events and serving's prediction log. */
export class PlatformMetrics {
  private readonly queueDepth: Gauge<'queue' | 'state'>;
  private readonly jobsFinished: Counter<'queue' | 'outcome'>;
  private readonly runsByStatus: Gauge<'status'>;
  private readonly inferenceRequests: Counter<'model' | 'version' | 'outcome'>;
  private readonly inferenceRows: Counter<'model' | 'version'>;
  private readonly inferenceLatency: Histogram<'model' | 'version'>;
  private readonly missingInputs: Counter<'model' | 'version' | 'feature'>;

  private readonly queues = new Map<string, QueueCounts>();
  private readonly finished = new Map<string, FinishedJobs>();
  private readonly runStatus = new Map<string, string>();
  private readonly models = new Map<string, ModelTotals>();
  private readonly versions = new Map<string, ModelTotals & { model: string; version: number }>();
  private readonly overall: ModelTotals = { requests: 0, errors: 0, rows: 0, latency: new LatencyWindow() };

  constructor(registry: Registry) {
    const registers = [registry];
    this.queueDepth = new Gauge({ name: 'slipway_queue_jobs', help: 'Jobs in each queue by state', labelNames: ['queue', 'state'], registers });
    this.jobsFinished = new Counter({ name: 'slipway_queue_jobs_finished_total', help: 'Jobs finished per queue, as BullMQ counts them', labelNames: ['queue', 'outcome'], registers });
    this.runsByStatus = new Gauge({ name: 'slipway_pipeline_runs', help: 'Pipeline runs seen, by current status', labelNames: ['status'], registers });
    this.inferenceRequests = new Counter({ name: 'slipway_inference_requests_total', help: 'Inference requests answered by serving', labelNames: ['model', 'version', 'outcome'], registers });
    this.inferenceRows = new Counter({ name: 'slipway_inference_rows_total', help: 'Rows predicted by serving', labelNames: ['model', 'version'], registers });
    this.missingInputs = new Counter({ name: 'slipway_prediction_missing_inputs_total', help: 'Missing values (imputed by serving) in the sampled predictions, per feature', labelNames: ['model', 'version', 'feature'], registers });
    this.inferenceLatency = new Histogram({ name: 'slipway_inference_latency_seconds', help: 'Inference request latency measured by serving', labelNames: ['model', 'version'], buckets: LATENCY_BUCKETS_SECONDS, registers });
  }

  setQueueCounts(queue: string, counts: QueueCounts): void {
    this.queues.set(queue, counts);
    for (const [state, value] of Object.entries(counts)) this.queueDepth.set({ queue, state }, value);
  }

  /**
   * The queue's totals of finished jobs as BullMQ keeps them in Redis (its job metrics): the counter grows by what
   * was added since the last reading, and only ever grows (totals read lower, e.g. after the queue was emptied, add nothing).
   */
  setFinishedJobs(queue: string, totals: FinishedJobs): void {
    const previous = this.finished.get(queue) ?? { completed: 0, failed: 0 };
    for (const outcome of ['completed', 'failed'] as const) {
      const added = totals[outcome] - previous[outcome];
      if (added > 0) this.jobsFinished.inc({ queue, outcome }, added);
    }
    this.finished.set(queue, { ...totals });
  }

  runStatusChanged(event: RunStatusChangedEvent): void {
    this.runStatus.set(event.runId, event.status);
    this.runsByStatus.reset();
    for (const [status, count] of Object.entries(this.countRunsByStatus())) this.runsByStatus.set({ status }, count);
  }

  /** Counts and times every request of the log; returns how many it holds. */
  predictionLog(event: PredictionLogEvent): number {
    for (const { model, version, requests, samples } of event.groups) {
      const labels = { model, version: String(version) };
      for (const [feature, values] of Object.entries(samples.inputs)) {
        const missing = values.reduce<number>((count, value) => (value === null ? count + 1 : count), 0);
        if (missing > 0) this.missingInputs.inc({ ...labels, feature }, missing);
      }
      const totals = [this.overall, this.totalsOf(model), this.versionTotalsOf(model, version)];
      let errors = 0;
      let rows = 0;
      requests.latencyMs.forEach((latencyMs, i) => {
        this.inferenceLatency.observe(labels, latencyMs / 1000);
        for (const { latency } of totals) latency.add(latencyMs);
        rows += requests.rows[i] as number;
        if (!requests.ok[i]) errors += 1;
      });
      const answered = requests.latencyMs.length;
      this.inferenceRequests.inc({ ...labels, outcome: 'success' }, answered - errors);
      if (errors > 0) this.inferenceRequests.inc({ ...labels, outcome: 'error' }, errors);
      this.inferenceRows.inc(labels, rows);
      for (const total of totals) {
        total.requests += answered;
        total.rows += rows;
        total.errors += errors;
      }
    }
    return predictionLogRequestCount(event);
  }

  summary(now = new Date()): PlatformSummary {
    const latencyOf = (totals: ModelTotals) => ({ p50Ms: totals.latency.quantile(0.5), p99Ms: totals.latency.quantile(0.99) });
    const describe = (totals: ModelTotals) => ({ requests: totals.requests, errors: totals.errors, rows: totals.rows, latency: latencyOf(totals) });
    return {
      generatedAt: now.toISOString(),
      queues: Object.fromEntries(this.queues),
      jobs: Object.fromEntries(this.finished),
      runs: { total: this.runStatus.size, byStatus: this.countRunsByStatus() },
      inference: {
        ...describe(this.overall),
        byModel: Object.fromEntries([...this.models].map(([model, totals]) => [model, describe(totals)])),
      },
    };
  }

  versionStats(): VersionInferenceStats[] {
    return [...this.versions.values()]
      .map((totals) => ({
        model: totals.model,
        version: totals.version,
        requests: totals.requests,
        errors: totals.errors,
        rows: totals.rows,
        p50Ms: totals.latency.quantile(0.5),
        p99Ms: totals.latency.quantile(0.99),
      }))
      .sort((a, b) => a.model.localeCompare(b.model) || a.version - b.version);
  }

  private versionTotalsOf(model: string, version: number): ModelTotals {
    const key = `${model}@${version}`;
    let totals = this.versions.get(key);
    if (!totals) {
      // A smaller latency ring than the per-model one: there are many more versions than models over time.
      totals = { model, version, requests: 0, errors: 0, rows: 0, latency: new LatencyWindow(2_000) };
      this.versions.set(key, totals);
    }
    return totals;
  }

  private countRunsByStatus(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const status of this.runStatus.values()) counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }

  private totalsOf(model: string): ModelTotals {
    let totals = this.models.get(model);
    if (!totals) {
      totals = { requests: 0, errors: 0, rows: 0, latency: new LatencyWindow() };
      this.models.set(model, totals);
    }
    return totals;
  }
}
