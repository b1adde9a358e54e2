import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Recurring runs: one row per schedule, the source of truth BullMQ's job schedulers are reconciled with.
 * Only portable DDL (SQLite and PostgreSQL): `paused` is 0/1, as SQLite has no boolean type.
 */
export const schedulesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // last_run_id is history, not a foreign key: the schedule outlives the retention of its runs' records.
    await db.schema
      .createTable('pipeline_schedules')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('pipeline_name', 'text', (c) => c.notNull())
      .addColumn('pipeline_json', 'text', (c) => c.notNull())
      .addColumn('experiment', 'text', (c) => c.notNull())
      .addColumn('cron', 'text')
      .addColumn('timezone', 'text')
      // bigint: intervals beyond 24.8 days overflow PostgreSQL's 32-bit integer.
      .addColumn('every_ms', 'bigint')
      .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0).check(sql`paused in (0, 1)`))
      .addColumn('last_trigger_id', 'text')
      .addColumn('last_run_id', 'text')
      .addColumn('last_run_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addCheckConstraint('pipeline_schedules_one_timing', sql`(cron is null) <> (every_ms is null)`)
      .addCheckConstraint('pipeline_schedules_timezone_with_cron', sql`timezone is null or cron is not null`)
      .execute();
  },
};
