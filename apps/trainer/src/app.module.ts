import { Module, type DynamicModule } from '@nestjs/common';
import { SERVICE_CONFIG, type TrainerConfig } from '@slipway/config';
import { trainingQueue } from '@slipway/contracts';
import { ObservabilityModule } from '@slipway/observability';
import { QueueModule } from '@slipway/queue';
import { ArtifactStoreModule } from '@slipway/storage';
import { trainingProcessorWith } from './training.processor';

@Module({})
export class AppModule {
  static withConfig(config: TrainerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forService('trainer'),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.SLIPWAY_QUEUE_PREFIX, service: 'trainer' }),
        QueueModule.forQueues(trainingQueue),
        ArtifactStoreModule.forLocation(config.SLIPWAY_ARTIFACTS),
      ],
      providers: [{ provide: SERVICE_CONFIG, useValue: config }, trainingProcessorWith(config)],
    };
  }
}
