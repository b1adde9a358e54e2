import { Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HealthService } from '@slipway/observability';
import type { ArtifactStore } from './artifact-store';
import { createArtifactStore } from './create-artifact-store';

export const ARTIFACT_STORE = Symbol('ARTIFACT_STORE');

@Injectable()
class ArtifactStoreReadiness implements OnModuleInit {
  constructor(
    @Inject(ARTIFACT_STORE) private readonly store: ArtifactStore,
    private readonly health: HealthService,
  ) {}

  onModuleInit(): void {
    this.health.register('artifacts', () => this.store.assertWritable());
  }
}

/** The artifact store named by SLIPWAY_ARTIFACTS, injectable as ARTIFACT_STORE, with a readiness check. */
@Module({})
export class ArtifactStoreModule {
  static forLocation(location: string): DynamicModule {
    return {
      module: ArtifactStoreModule,
      global: true,
      providers: [{ provide: ARTIFACT_STORE, useFactory: () => createArtifactStore(location) }, ArtifactStoreReadiness],
      exports: [ARTIFACT_STORE],
    };
  }
}
