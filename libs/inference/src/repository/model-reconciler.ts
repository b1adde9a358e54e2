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

/**
 * Drives the repository towards the registry's desired state: for each target, its model's `production` alias
 * points at target.version and that version is loaded. Models missing from the targets lose their `production`
 * alias. Versions no alias points at afterwards are unloaded (after their in-flight calls finish).
 */
export class ModelReconciler {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly lastFailures = new Map<string, ReconcileFailure>();

  constructor(private readonly repository: ModelRepository) {}

  /**
   * Runs one pass; a call made while another runs waits for it, so passes never interleave.
   * Never rejects for a failed load: failures are in the report and in `failures()`.
   * If the targets name a model twice, the last entry wins.
   */
  reconcile(targets: readonly ModelVersion[]): Promise<ReconcileReport> {
    const run = this.tail.then(() => this.run(targets));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The latest load failure per model, cleared once that model reconciles successfully. */
  failures(): ReconcileFailure[] {
    return [...this.lastFailures.values()];
  }

  private async run(targets: readonly ModelVersion[]): Promise<ReconcileReport> {
    const wanted = new Map(targets.map((target) => [target.model, target]));
    const targetList = [...wanted.values()];
    this.repository.setDesiredModels(wanted.keys());
    const report: ReconcileReport = { loaded: [], unloaded: [], failed: [] };

    const alreadyLoaded = new Set(this.repository.list().map((info) => `${info.name}@${info.version}`));
    const outcomes = await Promise.allSettled(
      targetList.map((target) => this.repository.load(target)),
    );
    outcomes.forEach((outcome, index) => {
      const target = targetList[index];
      if (outcome.status === 'rejected') {
        const failure = { model: target.model, version: target.version, error: (outcome.reason as Error).message };
        report.failed.push(failure);
        this.lastFailures.set(target.model, failure);
        return;
      }
      // Aliases move only after the new version is loaded and warm: traffic never hits a cold or missing version.
      this.repository.setAlias(target.model, DEFAULT_SERVING_ALIAS, target.version);
      this.lastFailures.delete(target.model);
      if (!alreadyLoaded.has(`${target.model}@${target.version}`)) {
        report.loaded.push({ model: target.model, version: target.version });
      }
    });

    for (const info of this.repository.list()) {
      if (!wanted.has(info.name)) this.repository.deleteAlias(info.name, DEFAULT_SERVING_ALIAS);
    }
    for (const model of this.lastFailures.keys()) if (!wanted.has(model)) this.lastFailures.delete(model);

    const orphans = this.repository.list().filter((info) => info.aliases.length === 0);
    await Promise.all(orphans.map((info) => this.repository.unload(info.name, info.version)));
    report.unloaded.push(...orphans.map((info) => ({ model: info.name, version: info.version })));
    return report;
  }
}
