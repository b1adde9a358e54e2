import { DEFAULT_SERVING_ALIAS, isTrainedVersion, type ModelVersion, type TrainedModelVersion } from '@slipway/contracts';
import { encodeColumns } from '@slipway/ml';
import type { ArtifactStore } from '@slipway/storage';
import { ModelLoadError } from '../errors/model-load.error';
import { ModelNotFoundError } from '../errors/model-not-found.error';
import { ModelNotReadyError } from '../errors/model-not-ready.error';
import type { BatchExecution } from '../batching/batch-observer';
import { DirectPredictor } from '../batching/direct-predictor';
import { DynamicBatcher, type BatchingOptions } from '../batching/dynamic-batcher';
import { rowMatrixCodec, type Predictor } from '../batching/predictor';
import { outputWidthOf } from '../protocol/model-outputs';
import { loadImportedModel } from './load-imported-model';
import { disposeLoaded, type LoadedModel, type LoadedTrainedModel } from './loaded-model';
import { loadTrainedBundle, type TrainedBundle } from './trained-model';

export interface ModelRepositoryOptions {
  /** Dynamic batching per version; undefined runs every request as its own model call. */
  batching?: BatchingOptions;
  /** Told about every model call (batch), for metrics and statistics. */
  observe?: (model: { name: string; version: number }, execution: BatchExecution) => void;
}

/** What `list()` reports per loaded version: metadata only, no tensors. */
export interface LoadedModelInfo {
  name: string;
  version: number;
  aliases: string[];
  loadedAt: string;
  /** Calls holding the version through `withModel` right now. */
  inFlight: number;
}

interface Entry {
  loaded: LoadedModel;
  inFlight: number;
  /** Set by unload: the entry is out of the maps and is disposed when the last call releases it. */
  retired?: { disposed: () => void };
}

interface ModelSlot {
  versions: Map<number, Entry>;
  /** alias → version; every alias points at a version in `versions`. */
  aliases: Map<string, number>;
}

const VERSION_NUMBER = /^[1-9][0-9]*$/;

/**
 * Every model version this process serves, keyed by (name, version), with aliases per model.
 * Versions are disposed only once no call holds them, so an alias can move under live traffic.
 */
export class ModelRepository {
  private readonly models = new Map<string, ModelSlot>();
  private readonly loading = new Map<string, Promise<LoadedModel>>();
  /** Models the deployment wants served here; undefined until the first reconcile says what it wants. */
  private desired: Set<string> | undefined;

  constructor(
    private readonly store: ArtifactStore,
    private readonly options: ModelRepositoryOptions = {},
  ) {}

  /**
   * Loads a version's model and transform from the store and warms it with one prediction.
   * Loading a version that is already loaded (or loading) returns it.
   * @throws ModelLoadError naming the version and the artifact or check that failed.
   */
  load(version: ModelVersion): Promise<LoadedModel> {
    const existing = this.models.get(version.model)?.versions.get(version.version);
    if (existing) return Promise.resolve(existing.loaded);
    const key = `${version.model}@${version.version}`;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const loading = this.loadAndWarm(version).finally(() => this.loading.delete(key));
    this.loading.set(key, loading);
    return loading;
  }

  /** Points `alias` of `name` at a loaded version; the switch is a single map write, so no request sees a gap. */
  setAlias(name: string, alias: string, version: number): void {
    const slot = this.models.get(name);
    if (!slot?.versions.has(version)) throw new ModelNotFoundError(name, String(version));
    slot.aliases.set(alias, version);
  }

  /** Removes an alias; the version it pointed at stays loaded until unloaded. Returns whether the alias existed. */
  deleteAlias(name: string, alias: string): boolean {
    return this.models.get(name)?.aliases.delete(alias) ?? false;
  }

  /**
   * Finds a loaded version: no `versionOrAlias` means the `production` alias, digits mean a version number,
   * anything else an alias name.
   * @throws ModelNotReadyError when the model is wanted here but nothing is loaded under its default alias yet.
   * @throws ModelNotFoundError when nothing matches.
   */
  resolve(name: string, versionOrAlias?: string): LoadedModel {
    return this.entryFor(name, versionOrAlias).loaded;
  }

  /**
   * Runs `fn` with a resolved version and holds it until `fn` settles, so an unload in the meantime waits
   * instead of disposing weights a prediction is still reading.
   */
  async withModel<T>(
    name: string,
    versionOrAlias: string | undefined,
    fn: (loaded: LoadedModel) => T | Promise<T>,
  ): Promise<T> {
    const entry = this.entryFor(name, versionOrAlias);
    entry.inFlight += 1;
    try {
      return await fn(entry.loaded);
    } finally {
      entry.inFlight -= 1;
      if (entry.retired && entry.inFlight === 0) this.dispose(entry);
    }
  }

  /**
   * Stops serving a version at once (it and the aliases pointing at it leave the maps) and resolves when its
   * weights are disposed, which is after the last in-flight `withModel` call on it finishes.
   * @throws ModelNotFoundError when the version is not loaded.
   */
  unload(name: string, version: number): Promise<void> {
    const slot = this.models.get(name);
    const entry = slot?.versions.get(version);
    if (!slot || !entry) throw new ModelNotFoundError(name, String(version));
    slot.versions.delete(version);
    for (const [alias, target] of slot.aliases) if (target === version) slot.aliases.delete(alias);
    if (slot.versions.size === 0) this.models.delete(name);
    return new Promise<void>((resolve) => {
      entry.retired = { disposed: resolve };
      if (entry.inFlight === 0) this.dispose(entry);
    });
  }

  /** Metadata of every loaded version, sorted by name then version. */
  list(): LoadedModelInfo[] {
    const infos: LoadedModelInfo[] = [];
    for (const [name, slot] of this.models) {
      for (const [version, entry] of slot.versions) {
        const aliases = [...slot.aliases].filter(([, target]) => target === version).map(([alias]) => alias);
        infos.push({ name, version, aliases: aliases.sort(), loadedAt: entry.loaded.loadedAt, inFlight: entry.inFlight });
      }
    }
    return infos.sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  }

  /**
   * Records which models the deployment wants served here (the reconciler calls this), so `isReady` and the
   * 404/503 distinction know what is expected.
   */
  setDesiredModels(names: Iterable<string>): void {
    this.desired = new Set(names);
  }

  /**
   * True once the desired models are known and each of them can answer under the default alias.
   * False before the first `setDesiredModels`: a replica that has not heard what to serve must not take traffic.
   * A model still serving its previous version because the new one failed to load counts as ready: marking every
   * replica unready over one bad version would turn a failed rollout into an outage (the failure is reported by
   * the reconciler instead).
   */
  isReady(): boolean {
    if (!this.desired) return false;
    for (const name of this.desired) {
      if (!this.answersByDefault(name)) return false;
    }
    return true;
  }

  /** Desired models with nothing under the default alias yet: what keeps `isReady` false once the desired set is known. */
  waitingModels(): string[] {
    return [...(this.desired ?? [])].filter((name) => !this.answersByDefault(name)).sort();
  }

  private answersByDefault(name: string): boolean {
    return this.models.get(name)?.aliases.has(DEFAULT_SERVING_ALIAS) ?? false;
  }

  private entryFor(name: string, versionOrAlias: string | undefined): Entry {
    const requested = versionOrAlias ?? DEFAULT_SERVING_ALIAS;
    const slot = this.models.get(name);
    const version = VERSION_NUMBER.test(requested) ? Number(requested) : slot?.aliases.get(requested);
    const entry = version === undefined ? undefined : slot?.versions.get(version);
    if (entry) return entry;
    if (requested === DEFAULT_SERVING_ALIAS && this.desired?.has(name)) throw new ModelNotReadyError(name, requested);
    throw new ModelNotFoundError(name, requested);
  }

  private async loadAndWarm(version: ModelVersion): Promise<LoadedModel> {
    const { model: name, version: number } = version;
    const loaded =
      isTrainedVersion(version)
        ? await this.loadTrained(version)
        : await loadImportedModel(this.store, version, this.options.batching, (execution) => this.options.observe?.({ name, version: number }, execution));
    let slot = this.models.get(name);
    if (!slot) {
      slot = { versions: new Map(), aliases: new Map() };
      this.models.set(name, slot);
    }
    slot.versions.set(number, { loaded, inFlight: 0 });
    return loaded;
  }

  private async loadTrained(version: TrainedModelVersion): Promise<LoadedTrainedModel> {
    const { model: name, version: number } = version;
    let bundle: TrainedBundle;
    try {
      bundle = await loadTrainedBundle(this.store, version);
    } catch (error) {
      throw new ModelLoadError(name, number, (error as Error).message, { cause: error });
    }
    const { model, transform, signature } = bundle;
    try {
      await warmUp(bundle);
    } catch (error) {
      await model.dispose();
      throw new ModelLoadError(name, number, `warm-up prediction failed: ${(error as Error).message}`, { cause: error });
    }
    return { format: version.format, name, version: number, model, transform, signature, predictor: this.predictorFor(name, number, bundle), loadedAt: new Date().toISOString() };
  }

  private predictorFor(name: string, version: number, { model, signature }: TrainedBundle): Predictor {
    const call = (features: Float32Array, rowCount: number) => model.predict(features, rowCount);
    const observe = (execution: BatchExecution) => this.options.observe?.({ name, version }, execution);
    const { batching } = this.options;
    if (!batching) return new DirectPredictor(call, observe);
    return new DynamicBatcher({ model: name, version }, call, rowMatrixCodec(signature.width, outputWidthOf(signature)), batching, observe);
  }

  private dispose(entry: Entry): void {
    void Promise.resolve(disposeLoaded(entry.loaded)).finally(() => entry.retired?.disposed());
  }
}

/**
 * One prediction on a row of missing values (the transform imputes every feature, as it would for any gap) through
 * the real transform, so the first request does not pay for kernel setup and a version that cannot predict never
 * takes traffic.
 */
async function warmUp({ model, transform }: TrainedBundle): Promise<void> {
  const { features, rowCount } = encodeColumns(transform, {}, 1);
  await model.predict(features, rowCount);
}
