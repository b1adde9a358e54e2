import { Module, type DynamicModule } from '@nestjs/common';
import { SERVICE_CONFIG, type ModelRegistryConfig } from '@slipway/config';
import { dataPrepQueue, eventsQueue, pipelineQueue, registrationQueue, schedulesQueue, trainingQueue } from '@slipway/contracts';
import { ObservabilityModule } from '@slipway/observability';
import { QueueModule } from '@slipway/queue';
import { RegistryDatabaseModule } from './database/registry-database.module';
import { ModelsController } from './models/models.controller';
import { registryServiceProviders } from './registry-services.providers';
import { RegistrationProcessor } from './registration/registration.processor';
import { pipelineProviders } from './runs/pipeline.providers';
import { RunsController } from './runs/runs.controller';
import { scheduleProviders } from './schedules/schedule.providers';
import { SchedulesController } from './schedules/schedules.controller';
import { LineageController } from './tracking/lineage.controller';
import { TrackingController } from './tracking/tracking.controller';

@Module({})
export class AppModule {
  static withConfig(config: ModelRegistryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forService('model-registry'),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.SLIPWAY_QUEUE_PREFIX, service: 'model-registry' }),
        QueueModule.forQueues(dataPrepQueue, trainingQueue, registrationQueue, pipelineQueue, eventsQueue, schedulesQueue),
        RegistryDatabaseModule.forUrl(config.SLIPWAY_DATABASE_URL),
      ],
      controllers: [RunsController, ModelsController, TrackingController, LineageController, SchedulesController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        ...registryServiceProviders,
        ...pipelineProviders,
        RegistrationProcessor,
        ...scheduleProviders,
      ],
    };
  }
}
