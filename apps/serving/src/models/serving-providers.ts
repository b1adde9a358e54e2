import { Logger, type Provider } from '@nestjs/common';
import { SERVICE_CONFIG, type ServingConfig } from '@slipway/config';
import { InferenceGateway, InferenceStatistics, ModelReconciler, ModelRepository, ModelSync, redisAliasChanges, TrafficRouter, type RequestLimits } from '@slipway/inference';
import { RegistryClient } from '@slipway/registry-client';
import { ARTIFACT_STORE, type ArtifactStore } from '@slipway/storage';
import { REQUEST_LIMITS, requestLimitsProvider } from '../http/request-limits.provider';
import { ReadinessMetrics } from './readiness-metrics';
import { ServingTelemetry } from './serving-telemetry';

/** The inference domain objects, wired from configuration: request limits, batching, traffic policy, statistics, model sync, telemetry, readiness gauges. */
export const servingProviders: Provider[] = [
  requestLimitsProvider,
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
    inject: [ModelRepository, TrafficRouter, InferenceStatistics, ServingTelemetry, SERVICE_CONFIG, REQUEST_LIMITS],
    useFactory: (repository: ModelRepository, router: TrafficRouter, statistics: InferenceStatistics, telemetry: ServingTelemetry, config: ServingConfig, limits: RequestLimits) =>
      new InferenceGateway(repository, router, statistics, telemetry, { predictionSampleRate: config.SLIPWAY_PREDICTION_LOG_SAMPLE_RATE, limits }),
  },
  {
    provide: ModelSync,
    inject: [RegistryClient, ModelRepository, ModelReconciler, TrafficRouter, SERVICE_CONFIG],
    useFactory: (registry: RegistryClient, repository: ModelRepository, reconciler: ModelReconciler, router: TrafficRouter, config: ServingConfig) =>
      new ModelSync({
        registry,
        repository,
        reconciler,
        aliases: [...config.SLIPWAY_SERVING_ALIASES, ...router.aliases()],
        aliasChanges: redisAliasChanges(config.REDIS_URL),
        intervalMs: config.SLIPWAY_RECONCILE_INTERVAL_MS,
        logger: new Logger(ModelSync.name),
      }),
  },
  ServingTelemetry,
  ReadinessMetrics,
];
