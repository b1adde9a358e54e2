import type { ModelVersion, RegisteredModel, TagsPatch, UpdateModelMetadataRequest } from '@slipway/contracts';
import type { RegistryDb } from '../database/registry-database.types';
import { requireModel, requireVersion, type ModelRegistryService } from './model-registry.service';
import { splitTagsPatch } from './model-tags';

/** Descriptions and key/value tags of registered models and their versions. */
export class ModelMetadataService {
  constructor(
    private readonly db: RegistryDb,
    private readonly registry: ModelRegistryService,
  ) {}

  /** Fields not named stay as they are; a tag set to null is removed. @throws ModelNotFoundError */
  async updateModel(name: string, { description, tags }: UpdateModelMetadataRequest): Promise<RegisteredModel> {
    await this.db.transaction().execute(async (trx) => {
      await requireModel(trx, name, { lock: true });
      if (description !== undefined) await trx.updateTable('registered_models').set({ description }).where('name', '=', name).execute();
      if (tags !== undefined) await patchModelTags(trx, name, tags);
    });
    return this.registry.getModel(name);
  }

  /** @throws ModelNotFoundError, ModelVersionNotFoundError */
  async updateVersion(name: string, version: number, { description, tags }: UpdateModelMetadataRequest): Promise<ModelVersion> {
    await this.db.transaction().execute(async (trx) => {
      await requireModel(trx, name, { lock: true });
      await requireVersion(trx, name, version);
      if (description !== undefined) {
        await trx.updateTable('model_versions').set({ description }).where('model_name', '=', name).where('version', '=', version).execute();
      }
      if (tags !== undefined) await patchVersionTags(trx, name, version, tags);
    });
    return this.registry.getVersion(name, version);
  }
}

async function patchModelTags(db: RegistryDb, model: string, patch: TagsPatch): Promise<void> {
  const { set, remove } = splitTagsPatch(patch);
  if (remove.length > 0) await db.deleteFrom('model_tags').where('model_name', '=', model).where('key', 'in', remove).execute();
  for (const [key, value] of set) {
    await db
      .insertInto('model_tags')
      .values({ model_name: model, key, value })
      .onConflict((oc) => oc.columns(['model_name', 'key']).doUpdateSet({ value }))
      .execute();
  }
}

async function patchVersionTags(db: RegistryDb, model: string, version: number, patch: TagsPatch): Promise<void> {
  const { set, remove } = splitTagsPatch(patch);
  if (remove.length > 0) {
    await db.deleteFrom('model_version_tags').where('model_name', '=', model).where('version', '=', version).where('key', 'in', remove).execute();
  }
  for (const [key, value] of set) {
    await db
      .insertInto('model_version_tags')
      .values({ model_name: model, version, key, value })
      .onConflict((oc) => oc.columns(['model_name', 'version', 'key']).doUpdateSet({ value }))
      .execute();
  }
}
