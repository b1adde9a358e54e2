import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { eventsQueue } from '@slipway/contracts';
import { PredictionRecorder } from '@slipway/inference';
import { METRICS_REGISTRY } from '@slipway/observability';
import { InjectProducer, type TypedProducer } from '@slipway/queue';
import { SERVICE_CONFIG, type ServingConfig } from '@slipway/config';
import { hostname } from 'node:os';
import { Counter, Histogram, type Registry } from 'prom-client';

export interface InferenceOutcome {
  model: string;
  version: number;
  rows: number;
  latencyMs: number;
  ok: boolean;
}

/** Counts every answered inference on /metrics and sends a record of it to monitoring in batches. */
@Injectable()
export class InferenceTelemetry implements OnApplicationShutdown {
  private readonly requests: Counter<'model' | 'version' | 'outcome'>;
  private readonly latency: Histogram<'model' | 'version'>;
  private readonly recorder: PredictionRecorder;

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @InjectProducer(eventsQueue) events: TypedProducer<typeof eventsQueue>,
    @Inject(SERVICE_CONFIG) config: ServingConfig,
  ) {
    const logger = new Logger(InferenceTelemetry.name);
    this.requests = new Counter({ name: 'slipway_inference_requests_total', help: 'Inference requests by model, version and outcome', labelNames: ['model', 'version', 'outcome'], registers: [registry] });
    this.latency = new Histogram({
      name: 'slipway_inference_duration_seconds',
      help: 'Inference request handling time, from parsed body to response',
      labelNames: ['model', 'version'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
    this.recorder = new PredictionRecorder({
      source: `serving@${hostname()}`,
      sink: async (batch) => void (await events.add('prediction-batch', batch)),
      logger: (message, context) => logger.warn({ event: message, ...context }),
      flushIntervalMs: config.SLIPWAY_PREDICTION_LOG_FLUSH_MS,
    });
  }

  record(outcome: InferenceOutcome): void {
    const labels = { model: outcome.model, version: String(outcome.version) };
    this.requests.inc({ ...labels, outcome: outcome.ok ? 'success' : 'error' });
    this.latency.observe(labels, outcome.latencyMs / 1000);
    this.recorder.record(outcome);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.recorder.close();
  }
}
