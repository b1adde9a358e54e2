import { Module, type DynamicModule } from '@nestjs/common';
import type { ModelRegistryConfig } from '@slipway/config';
import { dataPrepQueue, eventsQueue, pipelineQueue, registrationQueue, schedulesQueue, trainingQueue } from '@slipway/contracts';
import { ServiceModule } from '@slipway/service-kit';
import { RegistryDatabaseModule } from './database/registry-database.module';
import { ModelImportsController } from './models/model-imports.controller';
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
        ServiceModule.forService('model-registry', config, {
          queues: [dataPrepQueue, trainingQueue, registrationQueue, pipelineQueue, eventsQueue, schedulesQueue],
          // Reads transforms for version signatures; writes the files of imported models.
          artifacts: 'rw',
        }),
        RegistryDatabaseModule.forUrl(config.SLIPWAY_DATABASE_URL),
      ],
      controllers: [RunsController, ModelsController, ModelImportsController, TrackingController, LineageController, SchedulesController],
      providers: [
        ...registryServiceProviders,
        ...pipelineProviders,
        RegistrationProcessor,
        ...scheduleProviders,
      ],
    };
  }
}
