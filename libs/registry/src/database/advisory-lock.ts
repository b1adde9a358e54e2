import { sql } from 'kysely';
import type { RegistryDb } from './registry-database.types';
import { isPostgres } from './sql-dialect';

/** Keys of the PostgreSQL advisory locks the registry takes; fixed numbers, so every replica agrees on them. */
export const ADVISORY_LOCKS = {
  /** The pipeline engine's decisions: which steps are ready, and which trainings fit their team's quota. */
  pipelineEngine: 7_216_301,
} as const;

/**
 * Runs `work` while this process holds a PostgreSQL session advisory lock, so registry replicas sharing one
 * database take turns. The lock lives on a connection of its own, held for the whole of `work` and released
 * after it (or by the server, should the connection drop). SQLite has one writing process, whose own
 * serialisation suffices: there `work` simply runs.
 */
export async function withAdvisoryLock<T>(db: RegistryDb, key: number, work: () => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return work();
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${key}::bigint)`.execute(connection);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${key}::bigint)`.execute(connection);
    }
  });
}
