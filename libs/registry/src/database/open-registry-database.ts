import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import { Pool, types } from 'pg';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url';
import type { RegistryDatabase, RegistryDb } from './registry-database.types';

/**
 * Opens (without migrating) the database named by SLIPWAY_DATABASE_URL.
 * Close it with `db.destroy()`.
 */
export function openRegistryDatabase(url: string): RegistryDb {
  return new Kysely<RegistryDatabase>({ dialect: createRegistryDialect(parseDatabaseUrl(url)) });
}

/** The one place that maps a database target to a Kysely dialect. */
export function createRegistryDialect(target: DatabaseTarget): Dialect {
  switch (target.dialect) {
    case 'sqlite':
      return new SqliteDialect({ database: openSqlite(target.filename) });
    case 'postgres':
      return new PostgresDialect({ pool: openPostgresPool(target.connectionString) });
  }
}

function openSqlite(filename: string): Database.Database {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const sqlite = new Database(filename);
  // WAL lets readers (e.g. serving's reconcile through the API) proceed while a run is written.
  sqlite.pragma('journal_mode = WAL');
  // With WAL, NORMAL syncs at checkpoints rather than on every commit: still corruption-safe, and a crashed
  // process loses nothing (only a power cut can lose the last commits). A run writes several commits per step.
  sqlite.pragma('synchronous = NORMAL');
  // SQLite leaves foreign keys off unless asked, per connection.
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

const INT8_OID = 20;

function openPostgresPool(connectionString: string): Pool {
  // count(*) is bigint in PostgreSQL, which node-postgres returns as a string unless told otherwise;
  // the registry's counts stay far below 2^53, so they read as numbers, as on SQLite.
  const getTypeParser: typeof types.getTypeParser = (oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : types.getTypeParser(oid, format);
  const pool = new Pool({ connectionString, max: 10, types: { getTypeParser } });
  // An idle client that loses its server emits 'error' on the pool; unhandled, that would kill the process.
  // The next query then fails with the cause, and readiness reports it.
  pool.on('error', () => undefined);
  return pool;
}
