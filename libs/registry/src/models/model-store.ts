import type {
  AliasAuditEntry,
  AliasChangedMessage,
  ArtifactRef,
  ImportedModelFormat,
  ImportedModelVersion,
  ModelVersion,
  RegisteredModel,
  Tags,
  TrainedModel,
  TrainedModelVersion,
  UpdateModelMetadataRequest,
} from '@slipway/contracts';

export interface NewModelVersion {
  modelName: string;
  runId: string;
  trained: TrainedModel;
  at: string;
}

/** A model the registry did not train, read and stored by the importer. */
export interface NewImportedVersion {
  modelName: string;
  format: ImportedModelFormat;
  /** The manifest of its files in the artifact store; its digest identifies the import. */
  modelArtifact: ArtifactRef;
  details: Pick<ImportedModelVersion, 'signature' | 'batching' | 'source' | 'driftReference'>;
  description: string | null;
  tags: Tags;
}

export interface ImportedVersionResult {
  version: ImportedModelVersion;
  /** False when the same files had already been imported into the model: `version` is the one they produced then. */
  created: boolean;
}

/** An alias as it points after a move; `change` is null when it already pointed there (nothing was written). */
export interface AliasMove {
  version: ModelVersion;
  change: AliasChangedMessage | null;
}

/**
 * Where registered models live: a model with its numbered versions, their aliases (e.g. `production`), tags and the
 * audit log of alias moves is one aggregate, read as entities (ModelVersion, RegisteredModel), never as rows.
 * Versions come newest first; writers of one model take turns.
 */
export interface ModelStore {
  /** Adds version max + 1 (creating the model on its first version); registering the same run again returns the version it produced. */
  registerVersion(version: NewModelVersion): Promise<TrainedModelVersion>;
  /**
   * Adds the versions in order, all or none (one transaction), each as max + 1 of its model (creating the model);
   * files already imported into a model return the version they produced.
   */
  importVersions(versions: readonly NewImportedVersion[], at: string): Promise<ImportedVersionResult[]>;
  /** Points the alias at the version and records who did it. @throws ModelNotFoundError, ModelVersionNotFoundError */
  setAlias(model: string, alias: string, version: number, actor: string, at: string): Promise<AliasMove>;
  /** @throws ModelNotFoundError, AliasNotFoundError */
  deleteAlias(model: string, alias: string, actor: string, at: string): Promise<AliasChangedMessage>;
  /** @throws ModelNotFoundError */
  getModel(name: string): Promise<RegisteredModel>;
  /** Every model by name. */
  listModels(): Promise<RegisteredModel[]>;
  /** @throws ModelNotFoundError, ModelVersionNotFoundError */
  getVersion(model: string, version: number): Promise<ModelVersion>;
  /** @throws ModelNotFoundError, AliasNotFoundError */
  resolveAlias(model: string, alias: string): Promise<ModelVersion>;
  /** For every model that has the alias, the version it points at (by model name). */
  aliasTargets(alias: string): Promise<ModelVersion[]>;
  /** Newest first; every alias of the model, or only `alias`. @throws ModelNotFoundError */
  aliasHistory(model: string, alias?: string): Promise<AliasAuditEntry[]>;
  /** Versions trained on the dataset with this source digest, by model, newest first. */
  versionsFromDataset(digest: string): Promise<ModelVersion[]>;
  /** Fields not named stay as they are; a tag set to null is removed. @throws ModelNotFoundError */
  updateModel(name: string, update: UpdateModelMetadataRequest): Promise<RegisteredModel>;
  /** @throws ModelNotFoundError, ModelVersionNotFoundError */
  updateVersion(model: string, version: number, update: UpdateModelMetadataRequest): Promise<ModelVersion>;
}
