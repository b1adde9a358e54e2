import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Experiments, run params / tags / metric history / system info, tags and descriptions of models and
 * versions, and the indexes lineage and alias history read by. Only portable DDL (SQLite and PostgreSQL).
 */
export const trackingMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('experiments')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    // Existing runs join the `default` experiment; no foreign key, as SQLite cannot add one with a default.
    await db.schema.alterTable('runs').addColumn('experiment', 'text', (c) => c.notNull().defaultTo('default')).execute();
    await db.schema.alterTable('runs').addColumn('host', 'text').execute();
    await db.schema.alterTable('runs').addColumn('peak_memory_bytes', 'bigint').execute();
    await db.schema.alterTable('runs').addColumn('training_duration_ms', 'double precision').execute();
    await db.schema.alterTable('runs').addColumn('samples_per_second', 'double precision').execute();
    await sql`insert into experiments (name, created_at) select 'default', min(created_at) from runs having count(*) > 0`.execute(db);
    await db.schema.createIndex('runs_experiment_created_at_idx').on('runs').columns(['experiment', 'created_at']).execute();
    await db.schema.createIndex('runs_dataset_digest_idx').on('runs').column('dataset_digest').execute();

    await db.schema
      .createTable('run_params')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_params_pk', ['run_id', 'key'])
      .execute();

    await db.schema
      .createTable('run_tags')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_tags_pk', ['run_id', 'key'])
      .execute();
    await db.schema.createIndex('run_tags_key_value_idx').on('run_tags').columns(['key', 'value']).execute();

    await db.schema
      .createTable('run_metrics')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('step', 'integer', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('timestamp', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_metrics_pk', ['run_id', 'key', 'step'])
      .execute();

    await db.schema.alterTable('registered_models').addColumn('description', 'text').execute();
    await db.schema.alterTable('model_versions').addColumn('description', 'text').execute();
    await db.schema.createIndex('model_versions_dataset_digest_idx').on('model_versions').column('dataset_digest').execute();

    await db.schema
      .createTable('model_tags')
      .addColumn('model_name', 'text', (c) => c.notNull().references('registered_models.name').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_tags_pk', ['model_name', 'key'])
      .execute();

    await db.schema
      .createTable('model_version_tags')
      .addColumn('model_name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_version_tags_pk', ['model_name', 'version', 'key'])
      .addForeignKeyConstraint('model_version_tags_version_fk', ['model_name', 'version'], 'model_versions', ['model_name', 'version'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();

    await db.schema.createIndex('alias_audit_log_alias_idx').on('alias_audit_log').columns(['model_name', 'alias', 'id']).execute();
  },
};
