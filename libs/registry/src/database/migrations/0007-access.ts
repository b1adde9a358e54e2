import type { Kysely, Migration } from 'kysely';

/**
 * Authorisation: issued API tokens (only their SHA-256 digests), who submitted each run and created each schedule
 * (so their promote steps act with that token's scopes), and the Idempotency-Key a run was submitted with.
 */
export const accessMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('api_tokens')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('digest', 'text', (c) => c.notNull().unique())
      .addColumn('scopes_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('last_used_at', 'text')
      .execute();
    await db.schema.alterTable('runs').addColumn('submitted_by', 'text').execute();
    await db.schema.alterTable('runs').addColumn('idempotency_key', 'text').execute();
    await db.schema.createIndex('runs_idempotency_key_uq').unique().on('runs').column('idempotency_key').execute();
    await db.schema.alterTable('pipeline_schedules').addColumn('created_by', 'text').execute();
  },
};
