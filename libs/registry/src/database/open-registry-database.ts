import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type Dialect } from 'kysely';
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
  }
}

function openSqlite(filename: string): Database.Database {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const sqlite = new Database(filename);
  // WAL lets readers (e.g. serving's reconcile through the API) proceed while a run is written.
  sqlite.pragma('journal_mode = WAL');
  // SQLite leaves foreign keys off unless asked, per connection.
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}
