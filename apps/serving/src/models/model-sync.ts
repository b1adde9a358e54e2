import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG, type ServingConfig } from '@slipway/config';
import { ALIAS_CHANGED_CHANNEL, DEFAULT_SERVING_ALIAS } from '@slipway/contracts';
import { ModelReconciler, ModelRepository } from '@slipway/inference';
import { initTensorflow } from '@slipway/ml';
import { HealthService } from '@slipway/observability';
import { createRedisConnection } from '@slipway/queue';
import { RegistryClient } from '@slipway/registry-client';
import type { Redis } from 'ioredis';

/**
 * Keeps the loaded models equal to what the registry's `production` alias says: at start-up, on every
 * alias-changed message, and every SLIPWAY_RECONCILE_INTERVAL_MS so a missed message is never a lost one.
 */
@Injectable()
export class ModelSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ModelSync.name);
  private subscriber?: Redis;
  private timer?: NodeJS.Timeout;
  private lastSyncError: string | undefined = 'not synchronised with the registry yet';

  constructor(
    private readonly registry: RegistryClient,
    private readonly repository: ModelRepository,
    private readonly reconciler: ModelReconciler,
    private readonly health: HealthService,
    @Inject(SERVICE_CONFIG) private readonly config: ServingConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const backend = await initTensorflow(this.config.SLIPWAY_TF_BACKEND);
    this.logger.log({ event: 'tensorflow.ready', backend });
    this.health.register('models', async () => {
      if (this.lastSyncError) throw new Error(this.lastSyncError);
      if (!this.repository.isReady()) throw new Error('desired models are not loaded yet');
    });
    this.subscriber = createRedisConnection(this.config.REDIS_URL, 'worker', 'slipway-serving-alias-subscriber');
    this.subscriber.on('message', () => void this.synchronise('alias-changed'));
    await this.subscriber.subscribe(ALIAS_CHANGED_CHANNEL);
    await this.synchronise('start-up');
    this.timer = setInterval(() => void this.synchronise('interval'), this.config.SLIPWAY_RECONCILE_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private async synchronise(trigger: string): Promise<void> {
    try {
      const targets = await this.registry.aliasTargets(DEFAULT_SERVING_ALIAS);
      const report = await this.reconciler.reconcile(targets);
      this.lastSyncError = undefined;
      if (report.loaded.length + report.unloaded.length + report.failed.length > 0) {
        this.logger.log({ event: 'models.reconciled', trigger, ...report });
      }
    } catch (error) {
      this.lastSyncError = `registry unreachable: ${(error as Error).message}`;
      this.logger.warn({ event: 'models.sync-failed', trigger, error: (error as Error).message });
    }
  }
}
