import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { SERVICE_CONFIG, type MonitoringConfig } from '@slipway/config';
import { eventsQueue } from '@slipway/contracts';
import { METRICS_REGISTRY, ObservabilityModule } from '@slipway/observability';
import { DriftAlerts, DriftTracker, LiveAccuracy, PlatformMetrics, RunTracker } from '@slipway/platform-metrics';
import { QueueModule } from '@slipway/queue';
import { RegistryClient } from '@slipway/registry-client';
import { createArtifactStore } from '@slipway/storage';
import type { Registry } from 'prom-client';
import { DashboardController } from './dashboard/dashboard.controller';
import { DashboardService } from './dashboard/dashboard.service';
import { DriftService } from './drift.service';
import { EventsProcessor } from './events.processor';
import { FeedbackController } from './feedback.controller';
import { ARTIFACT_STORE, REGISTRY_CLIENT } from './monitoring.tokens';
import { ModelsController } from './models.controller';
import { QueueWatcher } from './queue-watcher';
import { SummaryController } from './summary.controller';
import { TrainingStatisticsService } from './training-statistics.service';

@Module({})
export class AppModule {
  static withConfig(config: MonitoringConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forService('monitoring'),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.SLIPWAY_QUEUE_PREFIX, service: 'monitoring' }),
        QueueModule.forQueues(eventsQueue),
      ],
      controllers: [SummaryController, FeedbackController, ModelsController, DashboardController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: PlatformMetrics, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => new PlatformMetrics(registry) },
        { provide: RunTracker, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => new RunTracker(registry) },
        { provide: LiveAccuracy, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => new LiveAccuracy(registry, config.SLIPWAY_FEEDBACK_CAPACITY) },
        {
          provide: DriftTracker,
          inject: [METRICS_REGISTRY],
          useFactory: (registry: Registry) => new DriftTracker(registry, { windowRows: config.SLIPWAY_DRIFT_WINDOW_ROWS, policy: config.SLIPWAY_DRIFT_POLICY }),
        },
        { provide: REGISTRY_CLIENT, useFactory: () => new RegistryClient(config.SLIPWAY_REGISTRY_URL) },
        // Read-only use (training statistics), so no writability check joins monitoring's readiness.
        { provide: ARTIFACT_STORE, useFactory: () => createArtifactStore(config.SLIPWAY_ARTIFACTS) },
        {
          provide: DriftAlerts,
          inject: [METRICS_REGISTRY, REGISTRY_CLIENT],
          useFactory: (registry: Registry, client: RegistryClient) =>
            new DriftAlerts(registry, { submitRun: (request) => client.submitRun(request), logger: new Logger(DriftAlerts.name) }),
        },
        TrainingStatisticsService,
        DashboardService,
        DriftService,
        EventsProcessor,
        QueueWatcher,
      ],
    };
  }
}
