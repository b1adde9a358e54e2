import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG, type ServingConfig } from '@slipway/config';
import { eventsQueue } from '@slipway/contracts';
import { PredictionRecorder, type BatchExecution, type GatewayListener, type RequestOutcome, type ShadowOutcome } from '@slipway/inference';
import { METRICS_REGISTRY } from '@slipway/observability';
import { InjectProducer, type TypedProducer } from '@slipway/queue';
import { hostname } from 'node:os';
import { Counter, Histogram, type Registry } from 'prom-client';

type VersionLabels = 'model' | 'version';

/**
 * Serving's figures: Triton's metric names where Triton has one (cumulative microsecond counters per model
 * version), a batch-size histogram, Slipway counters for traffic splits and shadows, and prediction records sent
 * to monitoring in batches.
 */
@Injectable()
export class ServingTelemetry implements GatewayListener, OnApplicationShutdown {
  private readonly success: Counter<VersionLabels>;
  private readonly failure: Counter<VersionLabels>;
  private readonly inferenceCount: Counter<VersionLabels>;
  private readonly execCount: Counter<VersionLabels>;
  private readonly requestDuration: Counter<VersionLabels>;
  private readonly queueDuration: Counter<VersionLabels>;
  private readonly computeDuration: Counter<VersionLabels>;
  private readonly batchSize: Histogram<VersionLabels>;
  private readonly latency: Histogram<VersionLabels>;
  private readonly routed: Counter<'model' | 'target' | 'route'>;
  private readonly shadowRequests: Counter<'model' | 'challenger'>;
  private readonly shadowDisagreements: Counter<'model' | 'challenger'>;
  private readonly shadowFailures: Counter<'model' | 'challenger'>;
  private readonly recorder: PredictionRecorder;
  private readonly logger = new Logger(ServingTelemetry.name);

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @InjectProducer(eventsQueue) events: TypedProducer<typeof eventsQueue>,
    @Inject(SERVICE_CONFIG) config: ServingConfig,
  ) {
    const registers = [registry];
    const labelNames = ['model', 'version'] as const;
    const counter = (name: string, help: string) => new Counter({ name, help, labelNames, registers });
    this.success = counter('nv_inference_request_success', 'Number of successful inference requests, all batch sizes');
    this.failure = counter('nv_inference_request_failure', 'Number of failed inference requests, all batch sizes');
    this.inferenceCount = counter('nv_inference_count', 'Number of inferences performed (rows; a batch of n counts n)');
    this.execCount = counter('nv_inference_exec_count', 'Number of model executions performed (a batch counts once)');
    this.requestDuration = counter('nv_inference_request_duration_us', 'Cumulative inference request duration in microseconds');
    this.queueDuration = counter('nv_inference_queue_duration_us', 'Cumulative inference queuing duration in microseconds');
    this.computeDuration = counter('nv_inference_compute_infer_duration_us', 'Cumulative compute inference duration in microseconds');
    this.batchSize = new Histogram({ name: 'slipway_inference_batch_size', help: 'Rows per model execution', labelNames, buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256], registers });
    this.latency = new Histogram({ name: 'slipway_inference_duration_seconds', help: 'Inference request duration', labelNames, buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers });
    this.routed = new Counter({ name: 'slipway_traffic_requests_total', help: 'Requests by the alias or version that answered and how it was chosen', labelNames: ['model', 'target', 'route'], registers });
    this.shadowRequests = new Counter({ name: 'slipway_shadow_requests_total', help: 'Requests copied to a shadow alias', labelNames: ['model', 'challenger'], registers });
    this.shadowDisagreements = new Counter({ name: 'slipway_shadow_disagreements_total', help: 'Rows where the shadow predicted another label than the answer', labelNames: ['model', 'challenger'], registers });
    this.shadowFailures = new Counter({ name: 'slipway_shadow_failures_total', help: 'Shadow copies the challenger could not answer', labelNames: ['model', 'challenger'], registers });
    this.recorder = new PredictionRecorder({
      source: `serving@${hostname()}`,
      sink: async (batch) => void (await events.add('prediction-batch', batch)),
      logger: (message, context) => this.logger.warn({ event: message, ...context }),
      flushIntervalMs: config.SLIPWAY_PREDICTION_LOG_FLUSH_MS,
    });
  }

  request(outcome: RequestOutcome): void {
    const labels = { model: outcome.model, version: String(outcome.version) };
    (outcome.ok ? this.success : this.failure).inc(labels);
    this.requestDuration.inc(labels, Math.round(outcome.durationUs));
    this.latency.observe(labels, outcome.durationUs / 1e6);
    if (outcome.ok) this.inferenceCount.inc(labels, outcome.rows);
    this.routed.inc({ model: outcome.model, target: outcome.target, route: outcome.route });
    this.recorder.record({
      model: outcome.model,
      version: outcome.version,
      rows: outcome.rows,
      latencyMs: outcome.durationUs / 1000,
      ok: outcome.ok,
      ...(outcome.prediction ? { prediction: outcome.prediction } : {}),
    });
  }

  execution(model: { name: string; version: number }, execution: BatchExecution): void {
    const labels = { model: model.name, version: String(model.version) };
    this.execCount.inc(labels);
    this.batchSize.observe(labels, execution.rows);
    this.computeDuration.inc(labels, execution.computeUs);
    this.queueDuration.inc(labels, execution.queueUs.reduce((sum, us) => sum + us, 0));
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
