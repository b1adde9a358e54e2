import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG, type ServingConfig } from '@slipway/config';
import { ALIAS_CHANGED_CHANNEL, DEFAULT_SERVING_ALIAS, type ModelVersion } from '@slipway/contracts';
import { ModelReconciler, ModelRepository, TrafficRouter, type ReconcileReport } from '@slipway/inference';
import { initTensorflow } from '@slipway/ml';
import { HealthService } from '@slipway/observability';
import { createRedisConnection } from '@slipway/queue';
import { RegistryClient } from '@slipway/registry-client';
import type { Redis } from 'ioredis';

/**
 * Keeps the loaded models equal to what the registry's aliases say — `production`, the aliases in
 * SLIPWAY_SERVING_ALIASES and those the traffic policy routes to — at start-up, on every alias-changed message,
 * and every SLIPWAY_RECONCILE_INTERVAL_MS so a missed message is never a lost one. Models unloaded through the
 * repository API stay out until loaded again.
 */
@Injectable()
export class ModelSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ModelSync.name);
  private readonly aliases: string[];
  private readonly unloaded = new Set<string>();
  private subscriber?: Redis;
  private timer?: NodeJS.Timeout;
  private lastSyncError: string | undefined = 'not synchronised with the registry yet';
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly registry: RegistryClient,
    private readonly repository: ModelRepository,
    private readonly reconciler: ModelReconciler,
    private readonly health: HealthService,
    router: TrafficRouter,
    @Inject(SERVICE_CONFIG) private readonly config: ServingConfig,
  ) {
    this.aliases = [...new Set([DEFAULT_SERVING_ALIAS, ...config.SLIPWAY_SERVING_ALIASES, ...router.aliases()])];
  }

  async onApplicationBootstrap(): Promise<void> {
    const backend = await initTensorflow(this.config.SLIPWAY_TF_BACKEND);
    this.logger.log({ event: 'tensorflow.ready', backend, aliases: this.aliases });
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

  /** Model repository extension: serve the model again (its aliases' versions), now. */
  async load(model: string): Promise<ReconcileReport | undefined> {
    this.unloaded.delete(model);
    return this.synchronise(`load ${model}`, true);
  }

  /** Model repository extension: stop serving the model on this replica until it is loaded again. */
  async unload(model: string): Promise<ReconcileReport | undefined> {
    this.unloaded.add(model);
    return this.synchronise(`unload ${model}`, true);
  }

  /** Aliases this replica serves. */
  servedAliases(): readonly string[] {
    return this.aliases;
  }

  /**
   * One sync at a time, reading the registry and reconciling as one step: otherwise an interval sync that read
   * the registry just before an alias moved could reconcile after the message-triggered one and undo it.
   */
  private synchronise(trigger: string, rethrow = false): Promise<ReconcileReport | undefined> {
    const run = this.tail.then(() => this.synchroniseNow(trigger, rethrow));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async synchroniseNow(trigger: string, rethrow: boolean): Promise<ReconcileReport | undefined> {
    try {
      const targets = await Promise.all(this.aliases.map(async (alias) => [alias, this.wanted(await this.registry.aliasTargets(alias))] as const));
      const report = await this.reconciler.reconcile(Object.fromEntries(targets));
      this.lastSyncError = undefined;
      if (report.loaded.length + report.unloaded.length + report.failed.length > 0) {
        this.logger.log({ event: 'models.reconciled', trigger, ...report });
      }
      return report;
    } catch (error) {
      this.lastSyncError = `registry unreachable: ${(error as Error).message}`;
      this.logger.warn({ event: 'models.sync-failed', trigger, error: (error as Error).message });
      if (rethrow) throw error;
      return undefined;
    }
  }

  private wanted(targets: ModelVersion[]): ModelVersion[] {
    return targets.filter((target) => !this.unloaded.has(target.model));
  }
}
