import { Module, type DynamicModule } from '@nestjs/common';
import type { MonitoringConfig } from '@slipway/config';
import { eventsQueue } from '@slipway/contracts';
import { ServiceModule } from '@slipway/service-kit';
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
      imports: [ServiceModule.forService('monitoring', config, { queues: [eventsQueue], artifacts: 'ro' })],
      controllers: [SummaryController, FeedbackController, ModelsController, DashboardController],
      providers: [...monitoringProviders, DriftAlertsShutdown, EventsProcessor, QueueWatcher],
    };
  }
}
