import { sql, type Kysely, type Migration } from 'kysely';

// Frozen history, like 0001: the status values are spelled out, not imported from the contracts.
const STEP_STATUSES = sql`('pending', 'waiting-for-quota', 'running', 'cached', 'succeeded', 'failed', 'skipped')`;
const STEP_KINDS = sql`('prepare', 'train', 'evaluate', 'register', 'promote')`;

/**
 * Pipelines become DAGs: steps are any names of five kinds, a grid step has one row per training, steps carry
 * their resolved params, outputs, cache keys and progress; training curves are kept per step; a cache table
 * maps step cache keys to the outputs that produced them. run_steps and run_epochs are rebuilt (SQLite cannot
 * drop the CHECK constraints 0001 put on names and statuses); their rows are carried over.
 */
export const pipelineDagMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('runs').addColumn('team', 'text', (c) => c.notNull().defaultTo('default')).execute();
    await db.schema.alterTable('runs').addColumn('resumes', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('runs').addColumn('no_cache_json', 'text', (c) => c.notNull().defaultTo('false')).execute();

    await db.schema.alterTable('run_steps').renameTo('run_steps_0001').execute();
    await db.schema
      .createTable('run_steps')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ${STEP_KINDS}`))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('grid_json', 'text')
      .addColumn('params_json', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ${STEP_STATUSES}`))
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('prior_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('duration_ms', 'integer')
      .addColumn('error', 'text')
      .addColumn('queued_generation', 'integer')
      .addColumn('output_json', 'text')
      .addColumn('cache_key', 'text')
      .addColumn('cache_components_json', 'text')
      .addColumn('cached_from_run', 'text')
      .addColumn('cached_from_step', 'text')
      .addColumn('progress_json', 'text')
      .addColumn('metrics_json', 'text')
      .addPrimaryKeyConstraint('run_steps_dag_pk', ['run_id', 'name'])
      .execute();
    // Quota admission counts a team's trainings that are queued or running.
    await db.schema.createIndex('run_steps_kind_status_idx').on('run_steps').columns(['kind', 'status']).execute();
    await sql`
      insert into run_steps (run_id, name, step, kind, position, params_json, status, attempts, started_at, finished_at, duration_ms, error)
      select run_id, name, name, name, case name when 'prepare' then 0 when 'train' then 1 else 2 end, '{}',
             status, attempts, started_at, finished_at, duration_ms, error
      from run_steps_0001`.execute(db);
    await db.schema.dropTable('run_steps_0001').execute();

    await db.schema
      .createTable('step_epochs')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('epoch', 'integer', (c) => c.notNull())
      .addColumn('loss', 'double precision', (c) => c.notNull())
      .addColumn('accuracy', 'double precision', (c) => c.notNull())
      .addColumn('val_loss', 'double precision')
      .addColumn('val_accuracy', 'double precision')
      .addColumn('duration_ms', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('step_epochs_pk', ['run_id', 'step', 'epoch'])
      .execute();
    await sql`
      insert into step_epochs (run_id, step, epoch, loss, accuracy, val_loss, val_accuracy, duration_ms)
      select run_id, 'train', epoch, loss, accuracy, val_loss, val_accuracy, duration_ms from run_epochs`.execute(db);
    await db.schema.dropTable('run_epochs').execute();

    // No foreign key to runs: a cached output stays reusable after its run's record is deleted.
    await db.schema
      .createTable('step_cache')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('pipeline_name', 'text', (c) => c.notNull())
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('run_step', 'text', (c) => c.notNull())
      .addColumn('params_digest', 'text', (c) => c.notNull())
      .addColumn('components_json', 'text', (c) => c.notNull())
      .addColumn('output_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('step_cache_pipeline_step_idx').on('step_cache').columns(['pipeline_name', 'step', 'created_at']).execute();
    await db.schema.createIndex('step_cache_params_digest_idx').on('step_cache').columns(['params_digest', 'created_at']).execute();
  },
};
