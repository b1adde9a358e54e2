import { PostgresAdapter, type Kysely } from 'kysely';

/** Which SQL the database speaks, for the few statements that differ (row locks, identity columns). */
export function isPostgres(db: Kysely<unknown> | Kysely<never>): boolean {
  return (db as Kysely<unknown>).getExecutor().adapter instanceof PostgresAdapter;
}
