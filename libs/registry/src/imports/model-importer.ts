import { isTritonRepository, MEDIA_TYPES, modelNameSchema, type ImportedModelVersion, type ImportFields, type Principal } from '@slipway/contracts';
import { actorOf } from '@slipway/service-kit';
import type { ArtifactStore } from '@slipway/storage';
import type { AliasProtection } from '../auth/alias-protection';
import { ModelImportError } from '../errors/model-import.error';
import type { ModelRegistryService } from '../models/model-registry.service';
import type { NewImportedVersion } from '../models/model-store';
import { checkTritonModels } from './check-triton-models';
import type { CheckedModel } from './checked-model';
import { driftReferenceOf } from './drift-reference-of';
import { modelFolderOf } from './model-folder';
import { readRuntimeSignature, tensorSignatureOf } from './read-tensor-signature';
import { storeModelFiles } from './store-model-files';
import { readTritonRepository } from './triton/read-triton-repository';
import type { RepositoryFile } from './triton/triton-model';
import { uploadedRoot } from './uploaded-root';

export interface ImportRequest {
  /** Paths start with the imported file's or folder's name (`iris.onnx`, `models/iris/config.pbtxt`). */
  files: readonly RepositoryFile[];
  fields: ImportFields;
  /**
   * Reference rows (a CSV of the model's training or validation inputs) that drift monitoring compares the served
   * inputs with; only for a single model. @defaultValue none: drift of the version is reported unavailable
   */
  reference?: RepositoryFile;
  /** Who imports (the request's token), and whether they may set a protected alias; undefined without a token. */
  principal: Principal | undefined;
}

export interface ImportResult {
  /** The imported versions, in the order of the repository's models and versions. */
  versions: ImportedModelVersion[];
  /** False when every version had been imported from the same files before. */
  created: boolean;
}

export interface ModelImporterOptions {
  /** Source of `source.importedAt`. @defaultValue `() => new Date()` */
  clock?: () => Date;
}

/**
 * Imports models trained elsewhere (ONNX, TensorFlow.js Layers), alone or as a Triton model repository. Every model
 * is loaded by the runtime that will serve it, and checked against its Triton config, before anything is stored;
 * the versions are then registered in one transaction, so a failed import registers nothing.
 */
export class ModelImporter {
  private readonly clock: () => Date;

  constructor(
    private readonly registry: ModelRegistryService,
    private readonly artifacts: Pick<ArtifactStore, 'put' | 'putJson'>,
    private readonly protection: AliasProtection,
    options: ModelImporterOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * One model file or folder as the next version of `modelName`.
   * @throws ModelImportError (also for reference rows that are unreadable or name a column the model's features do
   *   not have), ModelFormatError (not a model the runtime can run), AuthenticationRequiredError or AliasProtectedError
   *   (a protected alias without the right), all before anything is stored
   */
  async importModel(modelName: string, request: ImportRequest): Promise<ImportResult> {
    const name = modelNameSchema.safeParse(modelName);
    if (!name.success) throw new ModelImportError(`"${modelName}": ${name.error.issues[0]?.message}`);
    const actor = this.actorFor([modelName], request);
    const upload = uploadedRoot(request.files);
    const folder = modelFolderOf(upload, request.fields.format);
    const signature = tensorSignatureOf(await readRuntimeSignature(folder.format, folder.files, upload.name));
    const driftReference = request.reference ? await driftReferenceOf(request.reference, signature) : undefined;
    return this.register([{ modelName, folder, signature, ...(driftReference ? { driftReference } : {}) }], upload.name, actor, request.fields);
  }

  /**
   * Every version of every model of a Triton model repository (`<model>/config.pbtxt`, `<model>/<version>/`), each
   * model under its folder's name, with the signature and batching its config serves.
   * @throws ModelImportError, TritonRepositoryError (every problem of every model), AuthenticationRequiredError or
   *   AliasProtectedError, all before anything is stored
   */
  async importRepository(request: ImportRequest): Promise<ImportResult> {
    if (request.fields.format !== undefined) throw new ModelImportError('format: a Triton repository names the format of each model by its files; leave format out');
    if (request.reference !== undefined) {
      throw new ModelImportError('reference: reference rows belong to one model; import that model alone into POST /api/models/{name}/versions:import with them');
    }
    const upload = uploadedRoot(request.files);
    if (upload.single || !isTritonRepository(upload.files)) {
      throw new ModelImportError(`"${upload.name}" is not a Triton model repository: it has no <model>/config.pbtxt; import a single model into POST /api/models/{name}/versions:import`);
    }
    const models = readTritonRepository(upload.files);
    const actor = this.actorFor(models.map((model) => model.name), request);
    return this.register(await checkTritonModels(upload.name, models), upload.name, actor, request.fields);
  }

  /** Authorised before anything is stored: a protected alias refuses the whole import, not just the alias. */
  private actorFor(models: readonly string[], { fields, principal }: ImportRequest): string {
    const { alias } = fields;
    if (alias === undefined) return actorOf(principal);
    return models.map((model) => this.protection.authorize(model, alias, principal))[0] as string;
  }

  private async register(models: readonly CheckedModel[], fileName: string, actor: string, fields: ImportFields): Promise<ImportResult> {
    const importedAt = this.clock().toISOString();
    const versions: NewImportedVersion[] = [];
    for (const { modelName, folder, signature, batching, triton, driftReference } of models) {
      const stored = await storeModelFiles(this.artifacts, folder);
      const reference = driftReference ? await this.artifacts.putJson(driftReference, MEDIA_TYPES.driftReference) : undefined;
      versions.push({
        modelName,
        format: folder.format,
        modelArtifact: stored.manifest,
        details: {
          signature,
          ...(batching ? { batching } : {}),
          source: { fileName, sha256: stored.modelFileDigest, importedBy: actor, importedAt, ...(triton ? { triton } : {}) },
          ...(reference ? { driftReference: reference } : {}),
        },
        description: fields.description ?? null,
        tags: fields.tags ?? {},
      });
    }
    const results = await this.registry.importVersions(versions);
    results.forEach(({ version, created }, index) => {
      const asked = versions[index]?.details.driftReference;
      // A version's reference is set when it is created: the same files again answer that version as it is.
      if (!created && asked !== undefined && version.driftReference?.digest !== asked.digest) {
        const had = version.driftReference ? 'a different reference' : 'no reference';
        throw new ModelImportError(`reference: these files were imported before as ${version.model} v${version.version} with ${had}, which a repeated import does not change; import them under another model name to use this reference`);
      }
    });
    // Version folders holding the same files are one version, as a repeated import is.
    const imported = results.map(({ version }) => version).filter((version, index, all) => all.findIndex((other) => other.model === version.model && other.version === version.version) === index);
    if (fields.alias !== undefined) await this.pointAlias(imported, fields.alias, actor);
    return { versions: imported, created: results.some(({ created }) => created) };
  }

  /** Each model's alias moves to its newest imported version; `versions` gets the aliases they now carry. */
  private async pointAlias(versions: ImportedModelVersion[], alias: string, actor: string): Promise<void> {
    const newest = new Map<string, number>();
    for (const { model, version } of versions) newest.set(model, Math.max(version, newest.get(model) ?? 0));
    for (const [model, version] of newest) {
      const pointed = await this.registry.setAlias(model, alias, version, actor);
      const index = versions.findIndex((candidate) => candidate.model === model && candidate.version === version);
      versions[index] = pointed as ImportedModelVersion;
    }
  }
}
