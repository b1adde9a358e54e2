import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { ServingConfig } from '@slipway/config';
import { eventsQueue } from '@slipway/contracts';
import { authProviders, RegistryPrincipalResolver, ServiceModule } from '@slipway/service-kit';
import { RequestBodies } from './http/request-bodies';
import { ModelSyncLifecycle } from './models/model-sync.lifecycle';
import { servingProviders } from './models/serving-providers';
import { OpenApiController } from './openapi/openapi.controller';
import { V1Controller } from './v1/v1.controller';
import { V2HealthController } from './v2/v2-health.controller';
import { V2InferController } from './v2/v2-infer.controller';
import { V2ModelsController } from './v2/v2-models.controller';
import { V2RepositoryController } from './v2/v2-repository.controller';

@Module({})
export class AppModule {
  static withConfig(config: ServingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceModule.forService('serving', config, { queues: [eventsQueue], artifacts: 'rw' }), DiscoveryModule],
      controllers: [V2HealthController, V2ModelsController, V2InferController, V2RepositoryController, V1Controller, OpenApiController],
      providers: [
        ...authProviders({
          policy: { writes: config.SLIPWAY_AUTH_WRITES, reads: false, infer: config.SLIPWAY_AUTH_INFER },
          resolver: { useFactory: () => new RegistryPrincipalResolver({ registryUrl: config.SLIPWAY_REGISTRY_URL }) },
        }),
        ...servingProviders,
        ModelSyncLifecycle,
        RequestBodies,
      ],
    };
  }
}
