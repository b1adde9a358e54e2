import { DEFAULT_SERVING_ALIAS, type ModelVersion } from '@slipway/contracts';
import type { ModelRepository } from './model-repository';

export interface ReconciledVersion {
  model: string;
  version: number;
}

export interface ReconcileFailure extends ReconciledVersion {
  error: string;
}

/** What one reconcile pass changed. */
export interface ReconcileReport {
  /** Versions newly loaded and now under the default alias. */
  loaded: ReconciledVersion[];
  /** Versions disposed because no alias pointed at them any more. */
  unloaded: ReconciledVersion[];
  /** Targets that failed to load; the model keeps serving whatever it served before. */
  failed: ReconcileFailure[];
}

/** The versions each served alias should point at, e.g. `{ production: [iris@3, wine@1], staging: [iris@4] }`. */
export type AliasTargets = Readonly<Record<string, readonly ModelVersion[]>>;

/**
 * Drives the repository towards the registry's desired state: for each served alias and each of its targets, the
 * model's alias points at target.version and that version is loaded. A reconciled alias that no target claims any
 * more is removed (aliases the call does not mention are left alone); versions no alias points at afterwards are unloaded (after their in-flight calls finish). A target that
 * fails to load leaves its alias where it was, so the model keeps serving its previous version.
 */
export class ModelReconciler {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly lastFailures = new Map<string, ReconcileFailure>();

  constructor(private readonly repository: ModelRepository) {}

  /**
   * Runs one pass; a call made while another runs waits for it, so passes never interleave.
   * A plain list means the targets of the `production` alias. Never rejects for a failed load: failures are in
   * the report and in `failures()`. If an alias names a model twice, the last entry wins.
   */
  reconcile(targets: readonly ModelVersion[] | AliasTargets): Promise<ReconcileReport> {
    const byAlias: AliasTargets = isTargetList(targets) ? { [DEFAULT_SERVING_ALIAS]: targets } : targets;
    const run = this.tail.then(() => this.run(byAlias));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The latest load failure per model version, cleared once it loads. */
  failures(): ReconcileFailure[] {
    return [...this.lastFailures.values()];
  }

  private async run(byAlias: AliasTargets): Promise<ReconcileReport> {
    const wanted = new Map<string, { alias: string; target: ModelVersion }>();
    for (const [alias, targets] of Object.entries(byAlias)) {
      for (const target of targets) wanted.set(`${target.model}/${alias}`, { alias, target });
    }
    this.repository.setDesiredModels((byAlias[DEFAULT_SERVING_ALIAS] ?? []).map((target) => target.model));
    const report: ReconcileReport = { loaded: [], unloaded: [], failed: [] };

    const versions = new Map<string, ModelVersion>();
    for (const { target } of wanted.values()) versions.set(`${target.model}@${target.version}`, target);
    const alreadyLoaded = new Set(this.repository.list().map((info) => `${info.name}@${info.version}`));
    const outcomes = new Map<string, PromiseSettledResult<unknown>>();
    await Promise.all(
      [...versions].map(async ([key, target]) => {
        const [outcome] = await Promise.allSettled([this.repository.load(target)]);
        outcomes.set(key, outcome as PromiseSettledResult<unknown>);
      }),
    );
    for (const [key, target] of versions) {
      const outcome = outcomes.get(key);
      if (outcome?.status === 'rejected') {
        const failure = { model: target.model, version: target.version, error: (outcome.reason as Error).message };
        report.failed.push(failure);
        this.lastFailures.set(key, failure);
      } else {
        this.lastFailures.delete(key);
        if (!alreadyLoaded.has(key)) report.loaded.push({ model: target.model, version: target.version });
      }
    }

    // Aliases move only after the new version is loaded and warm: traffic never hits a cold or missing version.
    for (const { alias, target } of wanted.values()) {
      if (outcomes.get(`${target.model}@${target.version}`)?.status === 'fulfilled') this.repository.setAlias(target.model, alias, target.version);
    }
    for (const info of this.repository.list()) {
      for (const alias of info.aliases) {
        if (alias in byAlias && !wanted.has(`${info.name}/${alias}`)) this.repository.deleteAlias(info.name, alias);
      }
    }
    for (const key of this.lastFailures.keys()) if (!versions.has(key)) this.lastFailures.delete(key);

    const orphans = this.repository.list().filter((info) => info.aliases.length === 0);
    await Promise.all(orphans.map((info) => this.repository.unload(info.name, info.version)));
    report.unloaded.push(...orphans.map((info) => ({ model: info.name, version: info.version })));
    return report;
  }
}

function isTargetList(targets: readonly ModelVersion[] | AliasTargets): targets is readonly ModelVersion[] {
  return Array.isArray(targets);
}
