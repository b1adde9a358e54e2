import { Module, type DynamicModule } from '@nestjs/common';
import { SERVICE_CONFIG, type MonitoringConfig } from '@slipway/config';
import { eventsQueue } from '@slipway/contracts';
import { METRICS_REGISTRY, ObservabilityModule } from '@slipway/observability';
import { PlatformMetrics } from '@slipway/platform-metrics';
import { QueueModule } from '@slipway/queue';
import type { Registry } from 'prom-client';
import { EventsProcessor } from './events.processor';
import { QueueWatcher } from './queue-watcher';
import { SummaryController } from './summary.controller';

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
      controllers: [SummaryController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: PlatformMetrics, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => new PlatformMetrics(registry) },
        EventsProcessor,
        QueueWatcher,
      ],
    };
  }
}
