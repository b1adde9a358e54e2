import { DEFAULT_SERVING_ALIAS, type ModelVersion } from '@slipway/contracts';
import type { RegistryClient } from '@slipway/registry-client';
import type { ModelReconciler, ReconcileReport } from '../repository/model-reconciler';
import type { ModelRepository } from '../repository/model-repository';
import type { AliasChangeFeed } from './alias-change-feed';

export interface ModelSyncLogger {
  log(message: object): void;
  warn(message: object): void;
}

export interface ModelSyncOptions {
  registry: Pick<RegistryClient, 'aliasTargets'>;
  repository: Pick<ModelRepository, 'isReady'>;
  reconciler: Pick<ModelReconciler, 'reconcile'>;
  /** Aliases to serve besides `production` (SLIPWAY_SERVING_ALIASES and those the traffic policy routes to). */
  aliases: readonly string[];
  /** The registry's alias-changed messages. */
  aliasChanges: AliasChangeFeed;
  /** How often the registry is read without a message, so a missed message is never a lost one (SLIPWAY_RECONCILE_INTERVAL_MS). */
  intervalMs: number;
  logger: ModelSyncLogger;
}

/**
 * Keeps the loaded models equal to what the registry's aliases say — `production` and the other served aliases — at
 * start, on every alias-changed message, and every `intervalMs`. Models unloaded through the repository API stay
 * out until loaded again.
 */
export class ModelSync {
  private readonly aliases: string[];
  private readonly unloaded = new Set<string>();
  private timer?: NodeJS.Timeout;
  private lastSyncError: string | undefined = 'not synchronised with the registry yet';
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ModelSyncOptions) {
    this.aliases = [...new Set([DEFAULT_SERVING_ALIAS, ...options.aliases])];
  }

  /** Listens for alias changes, synchronises once, then every `intervalMs`. A registry that does not answer yet is no error: readiness says so. */
  async start(): Promise<void> {
    await this.options.aliasChanges.subscribe(() => void this.synchronise('alias-changed'));
    await this.synchronise('start-up');
    this.timer = setInterval(() => void this.synchronise('interval'), this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.options.aliasChanges.close();
  }

  /** Readiness: rejects while the registry was not read at the last sync, or the desired models are not loaded. */
  async assertReady(): Promise<void> {
    if (this.lastSyncError) throw new Error(this.lastSyncError);
    if (!this.options.repository.isReady()) throw new Error('desired models are not loaded yet');
  }

  /** Model repository extension: serve the model again (its aliases' versions), now. Rejects when the registry does not answer. */
  async load(model: string): Promise<ReconcileReport | undefined> {
    this.unloaded.delete(model);
    return this.synchronise(`load ${model}`, true);
  }

  /** Model repository extension: stop serving the model on this replica until it is loaded again. Rejects when the registry does not answer. */
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
    const { registry, reconciler, logger } = this.options;
    try {
      const targets = await Promise.all(this.aliases.map(async (alias) => [alias, this.wanted(await registry.aliasTargets(alias))] as const));
      const report = await reconciler.reconcile(Object.fromEntries(targets));
      this.lastSyncError = undefined;
      if (report.loaded.length + report.unloaded.length + report.failed.length > 0) {
        logger.log({ event: 'models.reconciled', trigger, ...report });
      }
      return report;
    } catch (error) {
      this.lastSyncError = `registry unreachable: ${(error as Error).message}`;
      logger.warn({ event: 'models.sync-failed', trigger, error: (error as Error).message });
      if (rethrow) throw error;
      return undefined;
    }
  }

  private wanted(targets: ModelVersion[]): ModelVersion[] {
    return targets.filter((target) => !this.unloaded.has(target.model));
  }
}
