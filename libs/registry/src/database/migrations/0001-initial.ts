import { sql, type Kysely, type Migration } from 'kysely';
import { isPostgres } from '../sql-dialect';

// A migration is frozen history: the enum values are spelled out here rather than imported
// from the contracts, so a later contract change cannot silently rewrite what 0001 created.
const RUN_STATUSES = sql`('queued', 'running', 'succeeded', 'failed')`;
const STEP_STATUSES = sql`('pending', 'running', 'succeeded', 'failed')`;
const STEP_NAMES = sql`('prepare', 'train', 'register')`;

export const initialMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('pipeline_name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ${RUN_STATUSES}`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('error', 'text')
      .addColumn('pipeline_json', 'text', (c) => c.notNull())
      .addColumn('dataset_digest', 'text')
      .addColumn('backend', 'text')
      .addColumn('metrics_json', 'text')
      .addColumn('model_name', 'text')
      .addColumn('model_version', 'integer')
      .addColumn('promoted_to', 'text')
      .execute();
    await db.schema.createIndex('runs_created_at_idx').on('runs').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('runs_status_created_at_idx').on('runs').columns(['status', 'created_at']).execute();

    await db.schema
      .createTable('run_steps')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull().check(sql`name in ${STEP_NAMES}`))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ${STEP_STATUSES}`))
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('duration_ms', 'integer')
      .addColumn('error', 'text')
      .addPrimaryKeyConstraint('run_steps_pk', ['run_id', 'name'])
      .execute();

    await db.schema
      .createTable('run_epochs')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('epoch', 'integer', (c) => c.notNull())
      .addColumn('loss', 'double precision', (c) => c.notNull())
      .addColumn('accuracy', 'double precision', (c) => c.notNull())
      .addColumn('val_loss', 'double precision')
      .addColumn('val_accuracy', 'double precision')
      .addColumn('duration_ms', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_epochs_pk', ['run_id', 'epoch'])
      .execute();

    await db.schema
      .createTable('registered_models')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    // run_id is lineage, not a foreign key: a version outlives the retention of its run's record.
    await db.schema
      .createTable('model_versions')
      .addColumn('model_name', 'text', (c) => c.notNull().references('registered_models.name').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('dataset_digest', 'text', (c) => c.notNull())
      .addColumn('backend', 'text', (c) => c.notNull())
      .addColumn('metrics_json', 'text', (c) => c.notNull())
      .addColumn('model_artifact_json', 'text', (c) => c.notNull())
      .addColumn('transform_artifact_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_versions_pk', ['model_name', 'version'])
      .addUniqueConstraint('model_versions_run_uq', ['model_name', 'run_id'])
      .execute();

    await db.schema
      .createTable('model_aliases')
      .addColumn('model_name', 'text', (c) => c.notNull())
      .addColumn('alias', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_aliases_pk', ['model_name', 'alias'])
      .addForeignKeyConstraint('model_aliases_version_fk', ['model_name', 'version'], 'model_versions', ['model_name', 'version'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();
    await db.schema.createIndex('model_aliases_alias_idx').on('model_aliases').column('alias').execute();

    // The audit log keeps plain values (no foreign keys) so it survives the rows it describes.
    // Its id orders the entries: an identity column on PostgreSQL, a rowid alias on SQLite.
    const postgres = isPostgres(db);
    await db.schema
      .createTable('alias_audit_log')
      .addColumn('id', 'integer', (c) => (postgres ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()))
      .addColumn('model_name', 'text', (c) => c.notNull())
      .addColumn('alias', 'text', (c) => c.notNull())
      .addColumn('from_version', 'integer')
      .addColumn('to_version', 'integer')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alias_audit_log_model_idx').on('alias_audit_log').columns(['model_name', 'id']).execute();
  },
};
