import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { MonitoringConfig } from '@slipway/config';
import { eventsQueue } from '@slipway/contracts';
import { authProviders, RegistryPrincipalResolver, ServiceModule } from '@slipway/service-kit';
import { DashboardController } from './dashboard/dashboard.controller';
import { DriftAlertsShutdown } from './drift-alerts.shutdown';
import { EventsProcessor } from './events.processor';
import { FeedbackController } from './feedback.controller';
import { ModelsController } from './models.controller';
import { monitoringProviders } from './monitoring.providers';
import { QueueWatcher } from './queue-watcher';
import { SummaryController } from './summary.controller';

@Module({})
export class AppModule {
  static withConfig(config: MonitoringConfig): DynamicModule {
    return {
      module: AppModule,
      // Reads training statistics; never writes, so no writability check joins readiness.
      imports: [ServiceModule.forService('monitoring', config, { queues: [eventsQueue], artifacts: 'ro' }), DiscoveryModule],
      controllers: [SummaryController, FeedbackController, ModelsController, DashboardController],
      providers: [
        ...authProviders({
          policy: { writes: config.SLIPWAY_AUTH_WRITES, reads: config.SLIPWAY_AUTH_READS, infer: false },
          resolver: { useFactory: () => new RegistryPrincipalResolver({ registryUrl: config.SLIPWAY_REGISTRY_URL }) },
        }),
        ...monitoringProviders,
        DriftAlertsShutdown,
        EventsProcessor,
        QueueWatcher,
      ],
    };
  }
}
