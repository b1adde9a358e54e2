import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_SERVING_ALIAS } from '@slipway/contracts';
import { ModelRepository } from '@slipway/inference';
import { METRICS_REGISTRY } from '@slipway/observability';
import { Gauge, type Registry } from 'prom-client';

/** Names the alert rules (infra/prometheus) query. */
const SERVING_READY_METRIC = 'slipway_serving_ready';
const MODEL_READY_METRIC = 'slipway_model_ready';

/**
 * Readiness as gauges, read from the model repository at scrape time so they always agree with
 * `GET /v2/health/ready` and the per-model ready endpoints: an alert can then tell "no replica is ready" apart from
 * "no replica is up".
 */
@Injectable()
export class ReadinessMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, repository: ModelRepository) {
    new Gauge({
      name: SERVING_READY_METRIC,
      help: '1 when this replica is ready (GET /v2/health/ready answers 200): every model it should serve answers under production',
      registers: [registry],
      collect() {
        this.set(repository.isReady() ? 1 : 0);
      },
    });
    new Gauge({
      name: MODEL_READY_METRIC,
      help: `1 per loaded model version and alias pointing at it (alias "" when none does); 0 with version "" for a model this replica should serve that has nothing under ${DEFAULT_SERVING_ALIAS} yet`,
      labelNames: ['model', 'version', 'alias'],
      registers: [registry],
      collect() {
        this.reset();
        for (const info of repository.list()) {
          for (const alias of info.aliases.length > 0 ? info.aliases : ['']) this.set({ model: info.name, version: String(info.version), alias }, 1);
        }
        for (const model of repository.waitingModels()) this.set({ model, version: '', alias: DEFAULT_SERVING_ALIAS }, 0);
      },
    });
  }
}
