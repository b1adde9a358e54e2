import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG, type ServingConfig } from '@slipway/config';
import { eventsQueue } from '@slipway/contracts';
import { InferenceStatistics, PredictionRecorder, type BatchExecution, type GatewayListener, type RequestOutcome, type ShadowOutcome, type TritonModelStats } from '@slipway/inference';
import { METRICS_REGISTRY } from '@slipway/observability';
import { InjectProducer, type TypedProducer } from '@slipway/queue';
import { hostname } from 'node:os';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { annotateInferenceSpan } from './inference-span';

type VersionLabels = 'model' | 'version';

/** Triton's cumulative counters per model version, read from the statistics the gateway and batchers keep anyway. */
const TRITON_COUNTERS: { name: string; help: string; value: (stats: TritonModelStats) => number }[] = [
  { name: 'nv_inference_request_success', help: 'Number of successful inference requests, all batch sizes', value: (s) => s.inference_stats.success.count },
  { name: 'nv_inference_request_failure', help: 'Number of failed inference requests, all batch sizes', value: (s) => s.inference_stats.fail.count },
  { name: 'nv_inference_count', help: 'Number of inferences performed (rows; a batch of n counts n)', value: (s) => s.inference_count },
  { name: 'nv_inference_exec_count', help: 'Number of model executions performed (a batch counts once)', value: (s) => s.execution_count },
  {
    name: 'nv_inference_request_duration_us',
    help: 'Cumulative inference request duration in microseconds',
    value: (s) => Math.round((s.inference_stats.success.ns + s.inference_stats.fail.ns) / 1_000),
  },
  { name: 'nv_inference_queue_duration_us', help: 'Cumulative inference queuing duration in microseconds', value: (s) => Math.round(s.inference_stats.queue.ns / 1_000) },
  { name: 'nv_inference_compute_infer_duration_us', help: 'Cumulative compute inference duration in microseconds', value: (s) => Math.round(s.inference_stats.compute_infer.ns / 1_000) },
];

/**
 * Serving's figures: Triton's metric names where Triton has one (cumulative microsecond counters per model
 * version, filled in at scrape time so a request pays nothing for them), latency and batch-size histograms,
 * Slipway counters for traffic splits and shadows, and prediction records sent to monitoring in batches.
 */
@Injectable()
export class ServingTelemetry implements GatewayListener, OnApplicationShutdown {
  private readonly batchSize: Histogram<VersionLabels>;
  private readonly latency: Histogram<VersionLabels>;
  private readonly routed: Counter<'model' | 'target' | 'route'>;
  private readonly shadowRequests: Counter<'model' | 'challenger'>;
  private readonly shadowDisagreements: Counter<'model' | 'challenger'>;
  private readonly shadowFailures: Counter<'model' | 'challenger'>;
  private readonly imputed: Counter<'model' | 'version' | 'feature'>;
  private readonly unseen: Counter<'model' | 'version' | 'feature'>;
  private readonly recorder: PredictionRecorder;
  private readonly logger = new Logger(ServingTelemetry.name);

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @InjectProducer(eventsQueue) events: TypedProducer<typeof eventsQueue>,
    @Inject(SERVICE_CONFIG) config: ServingConfig,
    statistics: InferenceStatistics,
  ) {
    const registers = [registry];
    const labelNames = ['model', 'version'] as const;
    for (const { name, help, value } of TRITON_COUNTERS) {
      new Counter({
        name,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          for (const stats of statistics.all()) this.inc({ model: stats.name, version: stats.version }, value(stats));
        },
      });
    }
    this.batchSize = new Histogram({ name: 'slipway_inference_batch_size', help: 'Rows per model execution', labelNames, buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256], registers });
    this.latency = new Histogram({ name: 'slipway_inference_duration_seconds', help: 'Inference request duration', labelNames, buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers });
    this.routed = new Counter({ name: 'slipway_traffic_requests_total', help: 'Requests by the alias or version that answered and how it was chosen', labelNames: ['model', 'target', 'route'], registers });
    this.shadowRequests = new Counter({ name: 'slipway_shadow_requests_total', help: 'Requests copied to a shadow alias', labelNames: ['model', 'challenger'], registers });
    this.shadowDisagreements = new Counter({ name: 'slipway_shadow_disagreements_total', help: 'Rows where the shadow predicted another label than the answer (a regressor: a value more than a tenth of the label\'s training std away)', labelNames: ['model', 'challenger'], registers });
    this.imputed = new Counter({ name: 'slipway_inference_imputed_values_total', help: 'Missing input values (null or absent) the transform imputed', labelNames: ['model', 'version', 'feature'], registers });
    this.unseen = new Counter({ name: 'slipway_inference_unseen_categories_total', help: 'Input categories the model never saw in training (encoded as none of the known ones)', labelNames: ['model', 'version', 'feature'], registers });
    this.shadowFailures = new Counter({ name: 'slipway_shadow_failures_total', help: 'Shadow copies the challenger could not answer', labelNames: ['model', 'challenger'], registers });
    const recorder = new PredictionRecorder({
      source: `serving@${hostname()}`,
      sink: async (event) => void (await events.add('prediction-log', event)),
      logger: (message, context) => this.logger.warn({ event: message, ...context }),
      flushIntervalMs: config.SLIPWAY_PREDICTION_LOG_FLUSH_MS,
      maxBatchSize: config.SLIPWAY_PREDICTION_LOG_BATCH_SIZE,
    });
    this.recorder = recorder;
    new Counter({
      name: 'slipway_prediction_records_sent_total',
      help: 'Prediction records the events queue accepted',
      registers,
      collect() {
        this.reset();
        this.inc(recorder.stats().sent);
      },
    });
    new Counter({
      name: 'slipway_prediction_records_dropped_total',
      help: 'Prediction records lost: the events queue failed, or the buffer was full',
      registers,
      collect() {
        this.reset();
        this.inc(recorder.stats().dropped);
      },
    });
    new Gauge({
      name: 'slipway_prediction_records_pending',
      help: 'Prediction records buffered or being sent',
      registers,
      collect() {
        const { buffered, sending } = recorder.stats();
        this.set(buffered + sending);
      },
    });
  }

  request(outcome: RequestOutcome): void {
    annotateInferenceSpan(outcome);
    this.latency.observe({ model: outcome.model, version: String(outcome.version) }, outcome.durationUs / 1e6);
    this.routed.inc({ model: outcome.model, target: outcome.target, route: outcome.route });
    if (outcome.quality) {
      const version = String(outcome.version);
      for (const [feature, count] of Object.entries(outcome.quality.imputed)) if (count > 0) this.imputed.inc({ model: outcome.model, version, feature }, count);
      for (const [feature, count] of Object.entries(outcome.quality.unseen)) if (count > 0) this.unseen.inc({ model: outcome.model, version, feature }, count);
    }
    this.recorder.record(outcome);
  }

  execution(model: { name: string; version: number }, execution: BatchExecution): void {
    this.batchSize.observe({ model: model.name, version: String(model.version) }, execution.rows);
  }

  shadow(outcome: ShadowOutcome): void {
    const labels = { model: outcome.model, challenger: outcome.challenger };
    this.shadowRequests.inc(labels);
    if (outcome.error) {
      this.shadowFailures.inc(labels);
      this.logger.warn({ event: 'shadow.failed', ...outcome });
      return;
    }
    this.shadowDisagreements.inc(labels, outcome.disagreements);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.recorder.close();
  }
}
