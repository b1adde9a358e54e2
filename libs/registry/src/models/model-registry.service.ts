import type {
  AliasAuditEntry,
  AliasChangedMessage,
  ModelVersion,
  RegisteredModel,
  TrainedModel,
} from '@slipway/contracts';
import { toJsonColumn } from '../database/json-column';
import type { ModelVersionRow, RegistryDb } from '../database/registry-database.types';
import { isPostgres } from '../database/sql-dialect';
import { AliasNotFoundError } from '../errors/alias-not-found.error';
import { ModelNotFoundError } from '../errors/model-not-found.error';
import { ModelVersionNotFoundError } from '../errors/model-version-not-found.error';
import { loadModelTags, loadVersionTags } from './model-tags';
import { toModelVersion } from './model-version-record';

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

/** Registered models, their numbered versions and the aliases (e.g. `production`) that point at them. */
export class ModelRegistryService {
  private readonly clock: () => Date;
  private readonly onAliasChanged: ((message: AliasChangedMessage) => void | Promise<void>) | undefined;

  constructor(
    private readonly db: RegistryDb,
    options: ModelRegistryServiceOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.onAliasChanged = options.onAliasChanged;
  }

  /**
   * Adds version max + 1 of the model (creating the model on its first version). Idempotent per
   * (model, run): registering the same run again returns the version it already produced.
   */
  async registerVersion({ modelName, runId, trained }: RegisterVersionInput): Promise<ModelVersion> {
    const at = this.clock().toISOString();
    const version = await this.db.transaction().execute(async (trx) => {
      // Writing first makes SQLite take its write lock before max(version) is read, so two
      // processes sharing the file cannot both read the same max. On PostgreSQL, the model's row lock
      // does the same: concurrent registrations of one model queue up behind it.
      await trx
        .insertInto('registered_models')
        .values({ name: modelName, created_at: at })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      await requireModel(trx, modelName, { lock: true });
      const existing = await trx
        .selectFrom('model_versions')
        .select('version')
        .where('model_name', '=', modelName)
        .where('run_id', '=', runId)
        .executeTakeFirst();
      if (existing !== undefined) return existing.version;
      const { latest } = await trx
        .selectFrom('model_versions')
        .select((eb) => eb.fn.max<number | null>('version').as('latest'))
        .where('model_name', '=', modelName)
        .executeTakeFirstOrThrow();
      const next = (latest ?? 0) + 1;
      await trx
        .insertInto('model_versions')
        .values({
          model_name: modelName,
          version: next,
          run_id: runId,
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
    return this.getVersion(modelName, version);
  }

  /**
   * Points the alias at the version and records who did it. Setting an alias to where it already
   * points changes nothing: no audit row, no callback.
   * @throws ModelNotFoundError, ModelVersionNotFoundError
   * @returns the version the alias now points at
   */
  async setAlias(model: string, alias: string, version: number, actor: string = SYSTEM_ACTOR): Promise<ModelVersion> {
    const at = this.clock().toISOString();
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
      await trx
        .insertInto('alias_audit_log')
        .values({ model_name: model, alias, from_version: current, to_version: version, actor, at })
        .execute();
      return { model, alias, version, previousVersion: current, at };
    });
    if (change !== null) await this.onAliasChanged?.(change);
    return this.getVersion(model, version);
  }

  /** @throws ModelNotFoundError, AliasNotFoundError */
  async deleteAlias(model: string, alias: string, actor: string = SYSTEM_ACTOR): Promise<void> {
    const at = this.clock().toISOString();
    const change = await this.db.transaction().execute(async (trx): Promise<AliasChangedMessage> => {
      await requireModel(trx, model, { lock: true });
      const current = await currentAlias(trx, model, alias);
      if (current === null) throw new AliasNotFoundError(model, alias);
      await trx.deleteFrom('model_aliases').where('model_name', '=', model).where('alias', '=', alias).execute();
      await trx
        .insertInto('alias_audit_log')
        .values({ model_name: model, alias, from_version: current, to_version: null, actor, at })
        .execute();
      return { model, alias, version: null, previousVersion: current, at };
    });
    await this.onAliasChanged?.(change);
  }

  /** Versions newest first. @throws ModelNotFoundError */
  async getModel(name: string): Promise<RegisteredModel> {
    const model = await requireModel(this.db, name);
    const [registered] = await this.assembleModels([model]);
    return registered;
  }

  /** Every model by name, each with its versions newest first. */
  async listModels(): Promise<RegisteredModel[]> {
    const models = await this.db.selectFrom('registered_models').selectAll().orderBy('name').execute();
    return this.assembleModels(models);
  }

  /** @throws ModelNotFoundError, ModelVersionNotFoundError */
  async getVersion(name: string, version: number): Promise<ModelVersion> {
    const row = await requireVersion(this.db, name, version);
    const [found] = await this.withAliases([row]);
    return found;
  }

  /** @throws ModelNotFoundError, AliasNotFoundError */
  async resolveAlias(name: string, alias: string): Promise<ModelVersion> {
    await requireModel(this.db, name);
    const version = await currentAlias(this.db, name, alias);
    if (version === null) throw new AliasNotFoundError(name, alias);
    return this.getVersion(name, version);
  }

  /** For every model that has the alias, the version it points at (by model name): what serving must load. */
  async listAliasTargets(alias: string): Promise<ModelVersion[]> {
    const rows = await this.db
      .selectFrom('model_versions as v')
      .innerJoin('model_aliases as a', (join) => join.onRef('a.model_name', '=', 'v.model_name').onRef('a.version', '=', 'v.version'))
      .selectAll('v')
      .where('a.alias', '=', alias)
      .orderBy('v.model_name')
      .execute();
    return this.withAliases(rows);
  }

  /** Newest first; every alias of the model, or only `alias`. @throws ModelNotFoundError */
  async aliasHistory(model: string, alias?: string): Promise<AliasAuditEntry[]> {
    await requireModel(this.db, model);
    let query = this.db.selectFrom('alias_audit_log').selectAll().where('model_name', '=', model);
    if (alias !== undefined) query = query.where('alias', '=', alias);
    const rows = await query.orderBy('id', 'desc').execute();
    return rows.map((row) => ({
      model: row.model_name,
      alias: row.alias,
      fromVersion: row.from_version,
      toVersion: row.to_version,
      actor: row.actor,
      at: row.at,
    }));
  }

  private async assembleModels(models: readonly ModelRow[]): Promise<RegisteredModel[]> {
    if (models.length === 0) return [];
    const names = models.map((m) => m.name);
    const tags = await loadModelTags(this.db, names);
    const versionRows = await this.db
      .selectFrom('model_versions')
      .selectAll()
      .where('model_name', 'in', names)
      .orderBy('model_name')
      .orderBy('version', 'desc')
      .execute();
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

  /** Maps rows to ModelVersions, attaching the aliases that point at each and their tags (one query each for all). */
  async withAliases(rows: readonly ModelVersionRow[]): Promise<ModelVersion[]> {
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

type ModelRow = { name: string; created_at: string; description: string | null };

/** `lock`: on PostgreSQL, holds the model's row until the transaction ends, serialising writers of one model. */
export async function requireModel(db: RegistryDb, name: string, { lock = false } = {}): Promise<ModelRow> {
  let query = db.selectFrom('registered_models').select(['name', 'created_at', 'description']).where('name', '=', name);
  if (lock && isPostgres(db)) query = query.forUpdate();
  const model = await query.executeTakeFirst();
  if (model === undefined) throw new ModelNotFoundError(name);
  return model;
}

export async function requireVersion(db: RegistryDb, model: string, version: number): Promise<ModelVersionRow> {
  const row = await db
    .selectFrom('model_versions')
    .selectAll()
    .where('model_name', '=', model)
    .where('version', '=', version)
    .executeTakeFirst();
  if (row !== undefined) return row;
  await requireModel(db, model);
  throw new ModelVersionNotFoundError(model, version);
}

async function currentAlias(db: RegistryDb, model: string, alias: string): Promise<number | null> {
  const row = await db
    .selectFrom('model_aliases')
    .select('version')
    .where('model_name', '=', model)
    .where('alias', '=', alias)
    .executeTakeFirst();
  return row?.version ?? null;
}
