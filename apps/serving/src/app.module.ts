import { Module, type DynamicModule } from '@nestjs/common';
import { SERVICE_CONFIG, type ServingConfig } from '@slipway/config';
import { eventsQueue } from '@slipway/contracts';
import { ModelReconciler, ModelRepository } from '@slipway/inference';
import { ObservabilityModule } from '@slipway/observability';
import { QueueModule } from '@slipway/queue';
import { RegistryClient } from '@slipway/registry-client';
import { ARTIFACT_STORE, ArtifactStoreModule, type ArtifactStore } from '@slipway/storage';
import { InferenceTelemetry } from './models/inference-telemetry';
import { ModelSync } from './models/model-sync';
import { V2Controller } from './v2/v2.controller';

@Module({})
export class AppModule {
  static withConfig(config: ServingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forService('serving'),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.SLIPWAY_QUEUE_PREFIX, service: 'serving' }),
        QueueModule.forQueues(eventsQueue),
        ArtifactStoreModule.forLocation(config.SLIPWAY_ARTIFACTS),
      ],
      controllers: [V2Controller],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: RegistryClient, useFactory: () => new RegistryClient(config.SLIPWAY_REGISTRY_URL) },
        { provide: ModelRepository, inject: [ARTIFACT_STORE], useFactory: (store: ArtifactStore) => new ModelRepository(store) },
        { provide: ModelReconciler, inject: [ModelRepository], useFactory: (repository: ModelRepository) => new ModelReconciler(repository) },
        ModelSync,
        InferenceTelemetry,
      ],
    };
  }
}
