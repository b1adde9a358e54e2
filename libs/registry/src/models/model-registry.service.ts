import type { AliasAuditEntry, AliasChangedMessage, ModelVersion, RegisteredModel, TrainedModel, TrainedModelVersion, UpdateModelMetadataRequest } from '@slipway/contracts';
import type { ImportedVersionResult, ModelStore, NewImportedVersion } from './model-store';

export interface ModelRegistryServiceOptions {
  /**
   * Called after commit whenever an alias is created, moved or deleted (never for a no-op), so the
   * service can publish on ALIAS_CHANGED_CHANNEL. A rejection propagates to the caller; the change
   * itself is already committed and serving's periodic reconcile still picks it up.
   */
  onAliasChanged?: (message: AliasChangedMessage) => void | Promise<void>;
  /**
   * Source of every timestamp the service writes.
   * @defaultValue `() => new Date()`
   */
  clock?: () => Date;
}

export interface RegisterVersionInput {
  modelName: string;
  runId: string;
  trained: TrainedModel;
}

/** The actor recorded in the audit log when none is given. */
export const SYSTEM_ACTOR = 'system';

/** Registered models, their numbered versions, descriptions, tags and the aliases (e.g. `production`) that point at them, over a ModelStore. */
export class ModelRegistryService {
  private readonly clock: () => Date;

  constructor(
    private readonly store: ModelStore,
    private readonly options: ModelRegistryServiceOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Adds version max + 1 of the model (creating it on its first version); registering the same run again returns its version. */
  registerVersion(input: RegisterVersionInput): Promise<TrainedModelVersion> {
    return this.store.registerVersion({ ...input, at: this.now() });
  }

  /** Adds imported versions, all or none, each as max + 1 of its model; files imported before return their version. */
  importVersions(versions: readonly NewImportedVersion[]): Promise<ImportedVersionResult[]> {
    return this.store.importVersions(versions, this.now());
  }

  /**
   * Points the alias at the version and records who did it. Setting an alias to where it already points changes
   * nothing: no audit row, no callback.
   * @throws ModelNotFoundError, ModelVersionNotFoundError
   * @returns the version the alias now points at
   */
  async setAlias(model: string, alias: string, version: number, actor: string = SYSTEM_ACTOR): Promise<ModelVersion> {
    const moved = await this.store.setAlias(model, alias, version, actor, this.now());
    if (moved.change !== null) await this.options.onAliasChanged?.(moved.change);
    return moved.version;
  }

  /** @throws ModelNotFoundError, AliasNotFoundError */
  async deleteAlias(model: string, alias: string, actor: string = SYSTEM_ACTOR): Promise<void> {
    const change = await this.store.deleteAlias(model, alias, actor, this.now());
    await this.options.onAliasChanged?.(change);
  }

  /** Versions newest first. @throws ModelNotFoundError */
  getModel(name: string): Promise<RegisteredModel> {
    return this.store.getModel(name);
  }

  /** Every model by name, each with its versions newest first. */
  listModels(): Promise<RegisteredModel[]> {
    return this.store.listModels();
  }

  /** @throws ModelNotFoundError, ModelVersionNotFoundError */
  getVersion(model: string, version: number): Promise<ModelVersion> {
    return this.store.getVersion(model, version);
  }

  /** @throws ModelNotFoundError, AliasNotFoundError */
  resolveAlias(model: string, alias: string): Promise<ModelVersion> {
    return this.store.resolveAlias(model, alias);
  }

  /** For every model that has the alias, the version it points at (by model name): what serving must load. */
  listAliasTargets(alias: string): Promise<ModelVersion[]> {
    return this.store.aliasTargets(alias);
  }

  /** Newest first; every alias of the model, or only `alias`. @throws ModelNotFoundError */
  aliasHistory(model: string, alias?: string): Promise<AliasAuditEntry[]> {
    return this.store.aliasHistory(model, alias);
  }

  /** Versions trained on the dataset with this source digest, by model, newest first. */
  versionsFromDataset(digest: string): Promise<ModelVersion[]> {
    return this.store.versionsFromDataset(digest);
  }

  /** Describes and tags a model: fields not named stay as they are; a tag set to null is removed. @throws ModelNotFoundError */
  updateModel(name: string, update: UpdateModelMetadataRequest): Promise<RegisteredModel> {
    return this.store.updateModel(name, update);
  }

  /** @throws ModelNotFoundError, ModelVersionNotFoundError */
  updateVersion(model: string, version: number, update: UpdateModelMetadataRequest): Promise<ModelVersion> {
    return this.store.updateVersion(model, version, update);
  }

  private now(): string {
    return this.clock().toISOString();
  }
}
