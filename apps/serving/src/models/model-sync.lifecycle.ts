import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG, type ServingConfig } from '@slipway/config';
import { ModelSync } from '@slipway/inference';
import { initTensorflow } from '@slipway/ml';
import { HealthService } from '@slipway/observability';

/** Starts TensorFlow.js, then the model sync (its state is the `models` readiness check); stops the sync on shutdown. */
@Injectable()
export class ModelSyncLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ModelSync.name);

  constructor(
    private readonly sync: ModelSync,
    private readonly health: HealthService,
    @Inject(SERVICE_CONFIG) private readonly config: ServingConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const backend = await initTensorflow(this.config.SLIPWAY_TF_BACKEND);
    this.logger.log({ event: 'tensorflow.ready', backend, aliases: this.sync.servedAliases() });
    this.health.register('models', () => this.sync.assertReady());
    await this.sync.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.sync.stop();
  }
}
