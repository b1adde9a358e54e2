import type { Provider } from '@nestjs/common';
import { SERVICE_CONFIG, type ServingConfig } from '@slipway/config';
import { InferenceGateway, InferenceStatistics, ModelReconciler, ModelRepository, TrafficRouter } from '@slipway/inference';
import { RegistryClient } from '@slipway/registry-client';
import { ARTIFACT_STORE, type ArtifactStore } from '@slipway/storage';
import { ReadinessMetrics } from './readiness-metrics';
import { ServingTelemetry } from './serving-telemetry';

/** The inference domain objects, wired from configuration: batching, traffic policy, statistics, telemetry, readiness gauges. */
export const servingProviders: Provider[] = [
  { provide: RegistryClient, inject: [SERVICE_CONFIG], useFactory: (config: ServingConfig) => new RegistryClient(config.SLIPWAY_REGISTRY_URL) },
  { provide: TrafficRouter, inject: [SERVICE_CONFIG], useFactory: (config: ServingConfig) => new TrafficRouter(config.SLIPWAY_TRAFFIC_POLICY) },
  { provide: InferenceStatistics, useFactory: () => new InferenceStatistics() },
  {
    provide: ModelRepository,
    inject: [ARTIFACT_STORE, SERVICE_CONFIG, ServingTelemetry, InferenceStatistics],
    useFactory: (store: ArtifactStore, config: ServingConfig, telemetry: ServingTelemetry, statistics: InferenceStatistics) =>
      new ModelRepository(store, {
        batching: config.SLIPWAY_BATCHING
          ? { maxBatchSize: config.SLIPWAY_BATCH_MAX_SIZE, maxQueueDelayUs: config.SLIPWAY_BATCH_MAX_DELAY_US, maxQueueSize: config.SLIPWAY_BATCH_MAX_QUEUE }
          : undefined,
        observe: (model, execution) => {
          telemetry.execution(model, execution);
          statistics.recordExecution(model.name, model.version, execution);
        },
      }),
  },
  { provide: ModelReconciler, inject: [ModelRepository], useFactory: (repository: ModelRepository) => new ModelReconciler(repository) },
  {
    provide: InferenceGateway,
    inject: [ModelRepository, TrafficRouter, InferenceStatistics, ServingTelemetry, SERVICE_CONFIG],
    useFactory: (repository: ModelRepository, router: TrafficRouter, statistics: InferenceStatistics, telemetry: ServingTelemetry, config: ServingConfig) =>
      new InferenceGateway(repository, router, statistics, telemetry, { predictionSampleRate: config.SLIPWAY_PREDICTION_LOG_SAMPLE_RATE }),
  },
  ServingTelemetry,
  ReadinessMetrics,
];
