import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { ModelRegistryConfig } from '@slipway/config';
import { dataPrepQueue, eventsQueue, pipelineQueue, registrationQueue, schedulesQueue, trainingQueue } from '@slipway/contracts';
import { ApiTokenService } from '@slipway/registry';
import { authProviders, ServiceModule } from '@slipway/service-kit';
import { AdminTokenCheck } from './auth/admin-token.check';
import { TokensController } from './auth/tokens.controller';
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
        DiscoveryModule,
      ],
      controllers: [RunsController, ModelsController, ModelImportsController, TrackingController, LineageController, SchedulesController, TokensController],
      providers: [
        ...authProviders({
          policy: { writes: config.SLIPWAY_AUTH_WRITES, reads: config.SLIPWAY_AUTH_READS, infer: false },
          resolver: { inject: [ApiTokenService], useFactory: (tokens: ApiTokenService) => tokens },
        }),
        AdminTokenCheck,
        ...registryServiceProviders,
        ...pipelineProviders,
        RegistrationProcessor,
        ...scheduleProviders,
      ],
    };
  }
}
