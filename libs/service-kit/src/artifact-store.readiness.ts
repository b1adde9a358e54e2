import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HealthService } from '@slipway/observability';
import { ARTIFACT_STORE, type ArtifactStore } from '@slipway/storage';

/** Readiness of a service that writes artifacts: the store must accept a write, not only a read. */
@Injectable()
export class ArtifactStoreReadiness implements OnModuleInit {
  constructor(
    @Inject(ARTIFACT_STORE) private readonly store: ArtifactStore,
    private readonly health: HealthService,
  ) {}

  onModuleInit(): void {
    this.health.register('artifacts', () => this.store.assertWritable());
  }
}
