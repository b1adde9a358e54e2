import { Logger, type Provider } from '@nestjs/common';
import { SERVICE_CONFIG, type MonitoringConfig } from '@slipway/config';
import { METRICS_REGISTRY } from '@slipway/observability';
import {
  DashboardService,
  DriftAlerts,
  DriftReferences,
  DriftService,
  DriftTracker,
  LiveAccuracy,
  PlatformMetrics,
  RunTracker,
} from '@slipway/platform-metrics';
import { RegistryClient } from '@slipway/registry-client';
import { ARTIFACT_STORE, type ArtifactStore } from '@slipway/storage';
import type { Registry } from 'prom-client';

/** Monitoring's aggregates, drift detection and dashboard snapshot, wired from configuration. */
export const monitoringProviders: Provider[] = [
  { provide: PlatformMetrics, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => new PlatformMetrics(registry) },
  { provide: RunTracker, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => new RunTracker(registry) },
  {
    provide: LiveAccuracy,
    inject: [METRICS_REGISTRY, SERVICE_CONFIG],
    useFactory: (registry: Registry, config: MonitoringConfig) => new LiveAccuracy(registry, config.SLIPWAY_FEEDBACK_CAPACITY),
  },
  {
    provide: DriftTracker,
    inject: [METRICS_REGISTRY, SERVICE_CONFIG],
    useFactory: (registry: Registry, config: MonitoringConfig) =>
      new DriftTracker(registry, { windowRows: config.SLIPWAY_DRIFT_WINDOW_ROWS, policy: config.SLIPWAY_DRIFT_POLICY }),
  },
  {
    provide: RegistryClient,
    inject: [SERVICE_CONFIG],
    useFactory: (config: MonitoringConfig) => new RegistryClient(config.SLIPWAY_REGISTRY_URL, config.SLIPWAY_RETRAIN_TOKEN === undefined ? {} : { token: config.SLIPWAY_RETRAIN_TOKEN }),
  },
  {
    provide: DriftAlerts,
    inject: [METRICS_REGISTRY, RegistryClient],
    useFactory: (registry: Registry, client: RegistryClient) =>
      new DriftAlerts(registry, { submitRun: (request) => client.submitRun(request), logger: new Logger(DriftAlerts.name) }),
  },
  {
    provide: DriftReferences,
    inject: [RegistryClient, ARTIFACT_STORE],
    useFactory: (client: RegistryClient, store: ArtifactStore) => new DriftReferences(client, store),
  },
  {
    provide: DriftService,
    inject: [DriftTracker, DriftAlerts, DriftReferences],
    useFactory: (tracker: DriftTracker, alerts: DriftAlerts, references: DriftReferences) =>
      new DriftService(tracker, alerts, references, new Logger(DriftService.name)),
  },
  {
    provide: DashboardService,
    inject: [PlatformMetrics, RunTracker, DriftTracker, LiveAccuracy, DriftAlerts, RegistryClient],
    useFactory: (platform: PlatformMetrics, runTracker: RunTracker, drift: DriftTracker, live: LiveAccuracy, alerts: DriftAlerts, registry: RegistryClient) =>
      new DashboardService({ platform, runTracker, drift, live, alerts, registry }),
  },
];
