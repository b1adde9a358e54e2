import { sql, type Kysely, type Migration } from 'kysely';
import { isPostgres } from '../sql-dialect';

/** What only a trained version has: an imported one (ONNX, TensorFlow.js) has no run, dataset, backend, metrics or transform. */
const TRAINED_ONLY = ['run_id', 'dataset_digest', 'backend', 'metrics_json', 'transform_artifact_json'] as const;

/**
 * Versions gain a format (`slipway-tfjs` for every version so far), the details of an imported one (signature,
 * batching, source) and the digest of its model files, unique per model so a repeated import finds its version.
 */
export const importedVersionsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    if (isPostgres(db)) {
      for (const column of TRAINED_ONLY) await db.schema.alterTable('model_versions').alterColumn(column, (c) => c.dropNotNull()).execute();
      await db.schema.alterTable('model_versions').addColumn('format', 'text', (c) => c.notNull().defaultTo('slipway-tfjs')).execute();
      await db.schema.alterTable('model_versions').addColumn('import_json', 'text').execute();
      await db.schema.alterTable('model_versions').addColumn('import_digest', 'text').execute();
    } else {
      await rebuildOnSqlite(db);
    }
    await db.schema.createIndex('model_versions_import_uq').unique().on('model_versions').columns(['model_name', 'import_digest']).execute();
  },
};

/**
 * SQLite cannot drop a NOT NULL constraint: the table is rebuilt by its documented procedure (new table, copy, drop,
 * rename) with foreign keys off, so dropping the old table does not cascade into the aliases and tags that point at
 * its rows; the check afterwards proves every such row still finds its version. Kysely runs SQLite migrations outside
 * a transaction, on the one connection it passes, so this one opens its own.
 */
async function rebuildOnSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      await db.schema
        .createTable('model_versions_0006')
        .addColumn('model_name', 'text', (c) => c.notNull().references('registered_models.name').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('run_id', 'text')
        .addColumn('dataset_digest', 'text')
        .addColumn('backend', 'text')
        .addColumn('metrics_json', 'text')
        .addColumn('model_artifact_json', 'text', (c) => c.notNull())
        .addColumn('transform_artifact_json', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('format', 'text', (c) => c.notNull().defaultTo('slipway-tfjs'))
        .addColumn('import_json', 'text')
        .addColumn('import_digest', 'text')
        .addPrimaryKeyConstraint('model_versions_0006_pk', ['model_name', 'version'])
        .addUniqueConstraint('model_versions_0006_run_uq', ['model_name', 'run_id'])
        .execute();
      await sql`
        insert into model_versions_0006 (model_name, version, run_id, dataset_digest, backend, metrics_json, model_artifact_json, transform_artifact_json, created_at, description)
        select model_name, version, run_id, dataset_digest, backend, metrics_json, model_artifact_json, transform_artifact_json, created_at, description from model_versions`.execute(db);
      await db.schema.dropTable('model_versions').execute();
      await db.schema.alterTable('model_versions_0006').renameTo('model_versions').execute();
      await db.schema.createIndex('model_versions_dataset_digest_idx').on('model_versions').column('dataset_digest').execute();
      const { rows: dangling } = await sql<{ table: string }>`pragma foreign_key_check`.execute(db);
      if (dangling.length > 0) throw new Error(`rebuilding model_versions left ${dangling.length} rows without their version (first in ${dangling[0].table})`);
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
