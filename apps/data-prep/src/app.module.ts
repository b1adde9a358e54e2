import { Module, type DynamicModule } from '@nestjs/common';
import { SERVICE_CONFIG, type DataPrepConfig } from '@slipway/config';
import { dataPrepQueue } from '@slipway/contracts';
import { ObservabilityModule } from '@slipway/observability';
import { QueueModule } from '@slipway/queue';
import { ArtifactStoreModule } from '@slipway/storage';
import { DataPrepProcessor } from './data-prep.processor';

@Module({})
export class AppModule {
  static withConfig(config: DataPrepConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forService('data-prep'),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.SLIPWAY_QUEUE_PREFIX, service: 'data-prep' }),
        QueueModule.forQueues(dataPrepQueue),
        ArtifactStoreModule.forLocation(config.SLIPWAY_ARTIFACTS),
      ],
      providers: [{ provide: SERVICE_CONFIG, useValue: config }, DataPrepProcessor],
    };
  }
}
