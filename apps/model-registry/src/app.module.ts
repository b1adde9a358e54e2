import { Module, type DynamicModule } from '@nestjs/common';
import { SERVICE_CONFIG, type ModelRegistryConfig } from '@slipway/config';
import { dataPrepQueue, eventsQueue, registrationQueue, trainingQueue } from '@slipway/contracts';
import { ObservabilityModule } from '@slipway/observability';
import { QueueModule } from '@slipway/queue';
import { RegistryDatabaseModule } from './database/registry-database.module';
import { ModelsController } from './models/models.controller';
import { registryServiceProviders } from './registry-services.providers';
import { RegistrationProcessor } from './registration/registration.processor';
import { PipelineSubmitter } from './runs/pipeline-submitter';
import { RunsController } from './runs/runs.controller';
import { StepTracker } from './runs/step-tracker';
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
        QueueModule.forQueues(dataPrepQueue, trainingQueue, registrationQueue, eventsQueue),
        RegistryDatabaseModule.forUrl(config.SLIPWAY_DATABASE_URL),
      ],
      controllers: [RunsController, ModelsController, TrackingController, LineageController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        ...registryServiceProviders,
        PipelineSubmitter,
        StepTracker,
        RegistrationProcessor,
      ],
    };
  }
}
