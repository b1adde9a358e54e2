import {
  isImportedVersion,
  type AliasAuditEntry,
  type AliasChangedMessage,
  type ImportedModelVersion,
  type ModelVersion,
  type RegisteredModel,
  type TagsPatch,
  type TrainedModelVersion,
  type UpdateModelMetadataRequest,
} from '@slipway/contracts';
import { toJsonColumn } from '../../database/json-column';
import type { ModelVersionRow, RegistryDb } from '../../database/registry-database.types';
import { isPostgres } from '../../database/sql-dialect';
import { AliasNotFoundError } from '../../errors/alias-not-found.error';
import { ModelNotFoundError } from '../../errors/model-not-found.error';
import { ModelVersionNotFoundError } from '../../errors/model-version-not-found.error';
import type { AliasMove, ImportedVersionResult, ModelStore, NewImportedVersion, NewModelVersion } from '../model-store';
import { splitTagsPatch } from '../../database/tag-rows';
import { loadModelTags, loadVersionTags } from './model-tags';
import { toModelVersion } from './model-version-rows';

type ModelRow = { name: string; created_at: string; description: string | null };

/** Registered models in the registry's SQL database (SQLite or PostgreSQL), over Kysely. */
export class SqlModelStore implements ModelStore {
  constructor(private readonly db: RegistryDb) {}

  async registerVersion({ modelName, runId, trained, at }: NewModelVersion): Promise<TrainedModelVersion> {
    const version = await this.db.transaction().execute(async (trx) => {
      await lockModelCreatingIt(trx, modelName, at);
      const existing = await trx.selectFrom('model_versions').select('version').where('model_name', '=', modelName).where('run_id', '=', runId).executeTakeFirst();
      if (existing !== undefined) return existing.version;
      const next = await nextVersion(trx, modelName);
      await trx
        .insertInto('model_versions')
        .values({
          model_name: modelName,
          version: next,
          run_id: runId,
          format: trained.format,
          dataset_digest: trained.sourceDigest,
          backend: trained.backend,
          metrics_json: toJsonColumn(trained.metrics),
          model_artifact_json: toJsonColumn(trained.model),
          transform_artifact_json: toJsonColumn(trained.transform),
          created_at: at,
        })
        .execute();
      return next;
    });
    const registered = await this.getVersion(modelName, version);
    if (isImportedVersion(registered)) throw new Error(`${modelName} v${version} is an imported version, not the one run ${runId} trained`);
    return registered;
  }

  async importVersions(versions: readonly NewImportedVersion[], at: string): Promise<ImportedVersionResult[]> {
    const written = await this.db.transaction().execute(async (trx) => {
      const results: { model: string; version: number; created: boolean }[] = [];
      for (const { modelName, format, modelArtifact, details, description, tags } of versions) {
        await lockModelCreatingIt(trx, modelName, at);
        const existing = await trx
          .selectFrom('model_versions')
          .select('version')
          .where('model_name', '=', modelName)
          .where('import_digest', '=', modelArtifact.digest)
          .executeTakeFirst();
        if (existing !== undefined) {
          results.push({ model: modelName, version: existing.version, created: false });
          continue;
        }
        const next = await nextVersion(trx, modelName);
        await trx
          .insertInto('model_versions')
          .values({
            model_name: modelName,
            version: next,
            run_id: null,
            dataset_digest: null,
            backend: null,
            metrics_json: null,
            model_artifact_json: toJsonColumn(modelArtifact),
            transform_artifact_json: null,
            created_at: at,
            description,
            format,
            import_json: toJsonColumn(details),
            import_digest: modelArtifact.digest,
          })
          .execute();
        await patchVersionTags(trx, modelName, next, tags);
        results.push({ model: modelName, version: next, created: true });
      }
      return results;
    });
    return Promise.all(
      written.map(async ({ model, version, created }) => {
        const imported = await this.getVersion(model, version);
        if (!isImportedVersion(imported)) throw new Error(`${model} v${version} is a trained version, not an import`);
        return { version: imported as ImportedModelVersion, created };
      }),
    );
  }

  async setAlias(model: string, alias: string, version: number, actor: string, at: string): Promise<AliasMove> {
    const change = await this.db.transaction().execute(async (trx): Promise<AliasChangedMessage | null> => {
      await requireModel(trx, model, { lock: true });
      await requireVersion(trx, model, version);
      const current = await currentAlias(trx, model, alias);
      if (current === version) return null;
      await trx
        .insertInto('model_aliases')
        .values({ model_name: model, alias, version })
        .onConflict((oc) => oc.columns(['model_name', 'alias']).doUpdateSet({ version }))
        .execute();
      await trx.insertInto('alias_audit_log').values({ model_name: model, alias, from_version: current, to_version: version, actor, at }).execute();
      return { model, alias, version, previousVersion: current, at };
    });
    return { version: await this.getVersion(model, version), change };
  }

  async deleteAlias(model: string, alias: string, actor: string, at: string): Promise<AliasChangedMessage> {
    return this.db.transaction().execute(async (trx) => {
      await requireModel(trx, model, { lock: true });
      const current = await currentAlias(trx, model, alias);
      if (current === null) throw new AliasNotFoundError(model, alias);
      await trx.deleteFrom('model_aliases').where('model_name', '=', model).where('alias', '=', alias).execute();
      await trx.insertInto('alias_audit_log').values({ model_name: model, alias, from_version: current, to_version: null, actor, at }).execute();
      return { model, alias, version: null, previousVersion: current, at };
    });
  }

  async getModel(name: string): Promise<RegisteredModel> {
    const [registered] = await this.assembleModels([await requireModel(this.db, name)]);
    return registered;
  }

  async listModels(): Promise<RegisteredModel[]> {
    return this.assembleModels(await this.db.selectFrom('registered_models').selectAll().orderBy('name').execute());
  }

  async getVersion(model: string, version: number): Promise<ModelVersion> {
    const [found] = await this.withAliases([await requireVersion(this.db, model, version)]);
    return found;
  }

  async resolveAlias(model: string, alias: string): Promise<ModelVersion> {
    await requireModel(this.db, model);
    const version = await currentAlias(this.db, model, alias);
    if (version === null) throw new AliasNotFoundError(model, alias);
    return this.getVersion(model, version);
  }

  async aliasTargets(alias: string): Promise<ModelVersion[]> {
    const rows = await this.db
      .selectFrom('model_versions as v')
      .innerJoin('model_aliases as a', (join) => join.onRef('a.model_name', '=', 'v.model_name').onRef('a.version', '=', 'v.version'))
      .selectAll('v')
      .where('a.alias', '=', alias)
      .orderBy('v.model_name')
      .execute();
    return this.withAliases(rows);
  }

  async aliasHistory(model: string, alias?: string): Promise<AliasAuditEntry[]> {
    await requireModel(this.db, model);
    let query = this.db.selectFrom('alias_audit_log').selectAll().where('model_name', '=', model);
    if (alias !== undefined) query = query.where('alias', '=', alias);
    const rows = await query.orderBy('id', 'desc').execute();
    return rows.map((row) => ({ model: row.model_name, alias: row.alias, fromVersion: row.from_version, toVersion: row.to_version, actor: row.actor, at: row.at }));
  }

  async versionsFromDataset(digest: string): Promise<ModelVersion[]> {
    const rows = await this.db.selectFrom('model_versions').selectAll().where('dataset_digest', '=', digest).orderBy('model_name').orderBy('version', 'desc').execute();
    return this.withAliases(rows);
  }

  async updateModel(name: string, { description, tags }: UpdateModelMetadataRequest): Promise<RegisteredModel> {
    await this.db.transaction().execute(async (trx) => {
      await requireModel(trx, name, { lock: true });
      if (description !== undefined) await trx.updateTable('registered_models').set({ description }).where('name', '=', name).execute();
      if (tags !== undefined) await patchModelTags(trx, name, tags);
    });
    return this.getModel(name);
  }

  async updateVersion(name: string, version: number, { description, tags }: UpdateModelMetadataRequest): Promise<ModelVersion> {
    await this.db.transaction().execute(async (trx) => {
      await requireModel(trx, name, { lock: true });
      await requireVersion(trx, name, version);
      if (description !== undefined) await trx.updateTable('model_versions').set({ description }).where('model_name', '=', name).where('version', '=', version).execute();
      if (tags !== undefined) await patchVersionTags(trx, name, version, tags);
    });
    return this.getVersion(name, version);
  }

  private async assembleModels(models: readonly ModelRow[]): Promise<RegisteredModel[]> {
    if (models.length === 0) return [];
    const names = models.map((m) => m.name);
    const tags = await loadModelTags(this.db, names);
    const versionRows = await this.db.selectFrom('model_versions').selectAll().where('model_name', 'in', names).orderBy('model_name').orderBy('version', 'desc').execute();
    const versions = await this.withAliases(versionRows);
    return models.map((model) => {
      const own = versions.filter((v) => v.model === model.name);
      const aliases: Record<string, number> = {};
      for (const v of own) for (const alias of v.aliases) aliases[alias] = v.version;
      return {
        name: model.name,
        createdAt: model.created_at,
        latestVersion: own[0]?.version ?? null,
        aliases,
        versions: own,
        description: model.description,
        tags: tags.get(model.name) ?? {},
      };
    });
  }

  /** Rows as ModelVersions, with the aliases that point at each and their tags (one query each for all). */
  private async withAliases(rows: readonly ModelVersionRow[]): Promise<ModelVersion[]> {
    if (rows.length === 0) return [];
    const models = [...new Set(rows.map((r) => r.model_name))];
    const aliasRows = await this.db.selectFrom('model_aliases').selectAll().where('model_name', 'in', models).execute();
    const tags = await loadVersionTags(this.db, models);
    return rows.map((row) =>
      toModelVersion(
        row,
        aliasRows.filter((a) => a.model_name === row.model_name && a.version === row.version).map((a) => a.alias),
        tags.get(`${row.model_name}@${row.version}`) ?? {},
      ),
    );
  }
}

/**
 * Creates the model if it is new and locks it for the transaction. Writing first makes SQLite take its write lock
 * before max(version) is read, so two processes sharing the file cannot both read the same max. On PostgreSQL, the
 * model's row lock does the same: concurrent registrations of one model queue up behind it.
 */
async function lockModelCreatingIt(trx: RegistryDb, name: string, at: string): Promise<void> {
  await trx.insertInto('registered_models').values({ name, created_at: at }).onConflict((oc) => oc.column('name').doNothing()).execute();
  await requireModel(trx, name, { lock: true });
}

async function nextVersion(trx: RegistryDb, model: string): Promise<number> {
  const { latest } = await trx
    .selectFrom('model_versions')
    .select((eb) => eb.fn.max<number | null>('version').as('latest'))
    .where('model_name', '=', model)
    .executeTakeFirstOrThrow();
  return (latest ?? 0) + 1;
}

/** `lock`: on PostgreSQL, holds the model's row until the transaction ends, serialising writers of one model. */
async function requireModel(db: RegistryDb, name: string, { lock = false } = {}): Promise<ModelRow> {
  let query = db.selectFrom('registered_models').select(['name', 'created_at', 'description']).where('name', '=', name);
  if (lock && isPostgres(db)) query = query.forUpdate();
  const model = await query.executeTakeFirst();
  if (model === undefined) throw new ModelNotFoundError(name);
  return model;
}

async function requireVersion(db: RegistryDb, model: string, version: number): Promise<ModelVersionRow> {
  const row = await db.selectFrom('model_versions').selectAll().where('model_name', '=', model).where('version', '=', version).executeTakeFirst();
  if (row !== undefined) return row;
  await requireModel(db, model);
  throw new ModelVersionNotFoundError(model, version);
}

async function currentAlias(db: RegistryDb, model: string, alias: string): Promise<number | null> {
  const row = await db.selectFrom('model_aliases').select('version').where('model_name', '=', model).where('alias', '=', alias).executeTakeFirst();
  return row?.version ?? null;
}

async function patchModelTags(db: RegistryDb, model: string, patch: TagsPatch): Promise<void> {
  const { set, remove } = splitTagsPatch(patch);
  if (remove.length > 0) await db.deleteFrom('model_tags').where('model_name', '=', model).where('key', 'in', remove).execute();
  for (const [key, value] of set) {
    await db.insertInto('model_tags').values({ model_name: model, key, value }).onConflict((oc) => oc.columns(['model_name', 'key']).doUpdateSet({ value })).execute();
  }
}

async function patchVersionTags(db: RegistryDb, model: string, version: number, patch: TagsPatch): Promise<void> {
  const { set, remove } = splitTagsPatch(patch);
  if (remove.length > 0) await db.deleteFrom('model_version_tags').where('model_name', '=', model).where('version', '=', version).where('key', 'in', remove).execute();
  for (const [key, value] of set) {
    await db
      .insertInto('model_version_tags')
      .values({ model_name: model, version, key, value })
      .onConflict((oc) => oc.columns(['model_name', 'version', 'key']).doUpdateSet({ value }))
      .execute();
  }
}
