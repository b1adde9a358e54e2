import { DEFAULT_SERVING_ALIAS, type ModelVersion } from '@slipway/contracts';
import type { RegistryClient } from '@slipway/registry-client';
import type { AliasTargets, ModelReconciler, ReconcileReport } from '../repository/model-reconciler';
import type { ModelRepository } from '../repository/model-repository';
import type { AliasChangeFeed } from './alias-change-feed';

export interface ModelSyncLogger {
  log(message: object): void;
  warn(message: object): void;
}

export interface ModelSyncOptions {
  registry: Pick<RegistryClient, 'aliasTargets'>;
  repository: Pick<ModelRepository, 'isReady' | 'list' | 'unload'>;
  reconciler: Pick<ModelReconciler, 'reconcile'>;
  /** Aliases to serve besides `production` (SLIPWAY_SERVING_ALIASES and those the traffic policy routes to). */
  aliases: readonly string[];
  /** The registry's alias-changed messages. */
  aliasChanges: AliasChangeFeed;
  /** How often the registry is read without a message, so a missed message is never a lost one (SLIPWAY_RECONCILE_INTERVAL_MS). */
  intervalMs: number;
  logger: ModelSyncLogger;
}

export interface UnloadOptions {
  /** Keep the model out of every reconcile, and out of readiness, until it is loaded again (the request's `keep_unloaded`). */
  keep?: boolean;
}

/**
 * Keeps the loaded models equal to what the registry's aliases say — `production` and the other served aliases — at
 * start, on every alias-changed message, and every `intervalMs`. A model unloaded through the repository API is
 * loaded again by the next sync, which the unload schedules at once, unless the unload asked to keep it out.
 */
export class ModelSync {
  private readonly aliases: string[];
  /** Models unloaded with `keep`: left out of every sync until loaded again. */
  private readonly kept = new Set<string>();
  /** The registry's answer at the last sync that read it, so an unload can reconcile without reading it again. */
  private lastTargets: AliasTargets | undefined;
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
    this.kept.delete(model);
    return this.synchronise(`load ${model}`, true);
  }

  /**
   * Model repository extension: stop serving the model on this replica now (in-flight requests finish first), without
   * reading the registry. The registry's aliases still want it, so it counts as missing — this replica is not ready —
   * until the sync scheduled at once loads it again; with `keep` it is left out of every sync, and of readiness, until
   * `load`.
   */
  async unload(model: string, options: UnloadOptions = {}): Promise<void> {
    if (options.keep) {
      this.kept.add(model);
      // The last targets read, without the model: its versions lose their aliases and go, and it stops being desired.
      // Before any sync read the registry nothing is loaded, and the first one will leave the model out.
      await this.serialised(async () => {
        if (this.lastTargets) await this.options.reconciler.reconcile(this.wantedTargets(this.lastTargets));
      });
      return;
    }
    const { repository } = this.options;
    await this.serialised(() => Promise.all(repository.list().filter((info) => info.name === model).map((info) => repository.unload(info.name, info.version))));
    void this.synchronise(`reload ${model} after unload`);
  }

  /** Models unloaded with `keep` and not loaded since, sorted: what the repository index reports as unloaded by request. */
  keptUnloaded(): string[] {
    return [...this.kept].sort();
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
    return this.serialised(() => this.synchroniseNow(trigger, rethrow));
  }

  /** Runs `step` after every sync and unload queued before it. */
  private serialised<T>(step: () => Promise<T>): Promise<T> {
    const run = this.tail.then(step);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async synchroniseNow(trigger: string, rethrow: boolean): Promise<ReconcileReport | undefined> {
    const { registry, reconciler, logger } = this.options;
    try {
      const targets = await Promise.all(this.aliases.map(async (alias) => [alias, await registry.aliasTargets(alias)] as const));
      this.lastTargets = Object.fromEntries(targets);
      const report = await reconciler.reconcile(this.wantedTargets(this.lastTargets));
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

  /** Targets read from the registry, less the models kept unloaded. */
  private wantedTargets(targets: AliasTargets): AliasTargets {
    return Object.fromEntries(Object.entries(targets).map(([alias, versions]) => [alias, versions.filter((target: ModelVersion) => !this.kept.has(target.model))]));
  }
}
