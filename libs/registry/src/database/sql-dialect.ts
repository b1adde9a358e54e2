import { PostgresAdapter, type QueryExecutorProvider } from 'kysely';

/** Which SQL the database speaks, for the few statements that differ (row locks, identity columns). */
export function isPostgres(db: QueryExecutorProvider): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
