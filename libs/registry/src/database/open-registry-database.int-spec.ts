import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startTestPostgres, type TestPostgres, type TestPostgresDatabase } from '@slipway/testing';
import { sql } from 'kysely';
import { migrateToLatest } from './migrate-to-latest';
import { openRegistryDatabase } from './open-registry-database';
import type { RegistryDb } from './registry-database.types';
import { RegistryMigrationError } from './registry-migration.error';
import { REGISTRY_MIGRATIONS } from './registry-migrations';
import { UnsupportedDatabaseUrlError } from './unsupported-database-url.error';

const TABLES = [
  'alias_audit_log',
  'api_tokens',
  'experiments',
  'model_aliases',
  'model_tags',
  'model_version_tags',
  'model_versions',
  'pipeline_schedules',
  'registered_models',
  'run_metrics',
  'run_params',
  'run_steps',
  'run_tags',
  'runs',
  'step_cache',
  'step_epochs',
];

async function tableNames(db: RegistryDb): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.map((t) => t.name).sort();
}

/**
 * What a promise rejects with, or null. Matched by code rather than with toThrow: better-sqlite3's native
 * addon is loaded once per process, so under jest its SqliteError may come from another test file's realm
 * and fail `instanceof Error`.
 */
function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (rejection: unknown) => rejection,
  );
}

describe('openRegistryDatabase + migrateToLatest', () => {
  let dir: string;
  const opened: RegistryDb[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-registry-db-'));
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.destroy()));
    await rm(dir, { recursive: true, force: true });
  });

  function open(url: string): RegistryDb {
    const db = openRegistryDatabase(url);
    opened.push(db);
    return db;
  }

  it('creates every table on a file database in a directory that did not exist, with WAL and foreign keys on', async () => {
    const file = join(dir, 'nested', 'deeper', 'registry.db');
    const db = open(`sqlite:${file}`);

    expect(await migrateToLatest(db)).toEqual(Object.keys(REGISTRY_MIGRATIONS));

    expect((await stat(file)).isFile()).toBe(true);
    expect(await tableNames(db)).toEqual(TABLES);
    const { rows: journal } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    expect(journal[0]?.journal_mode).toBe('wal');
    const { rows: fk } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
    expect(fk[0]?.foreign_keys).toBe(1);
  });

  it('is idempotent: a second migration run applies nothing and keeps the data', async () => {
    const url = `sqlite:${join(dir, 'registry.db')}`;
    const first = open(url);
    await migrateToLatest(first);
    await first.insertInto('registered_models').values({ name: 'iris', created_at: '2025-06-01T12:00:00.000Z' }).execute();

    expect(await migrateToLatest(first)).toEqual([]);
    await first.destroy();

    // A restarted service migrates again on boot.
    const reopened = open(url);
    expect(await migrateToLatest(reopened)).toEqual([]);
    expect(await reopened.selectFrom('registered_models').select('name').execute()).toEqual([{ name: 'iris' }]);
  });

  it('resolves a relative path from the working directory', async () => {
    const cwdRelative = relative(process.cwd(), join(dir, 'rel', 'registry.db'));
    const db = open(`sqlite:${cwdRelative}`);
    await migrateToLatest(db);
    expect((await stat(join(dir, 'rel', 'registry.db'))).isFile()).toBe(true);
  });

  it('opens an in-memory database that keeps its tables for the life of the Kysely instance', async () => {
    const db = open('sqlite::memory:');
    await migrateToLatest(db);
    expect(await tableNames(db)).toEqual(TABLES);
    expect(await migrateToLatest(db)).toEqual([]);
  });

  it('enforces foreign keys: an alias cannot point at a version that does not exist', async () => {
    const db = open('sqlite::memory:');
    await migrateToLatest(db);
    await db.insertInto('registered_models').values({ name: 'iris', created_at: '2025-06-01T12:00:00.000Z' }).execute();
    const error = await rejectionOf(db.insertInto('model_aliases').values({ model_name: 'iris', alias: 'production', version: 7 }).execute());
    expect(error).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
  });

  it('fails with a RegistryMigrationError naming the migration and the database cause', async () => {
    const db = open('sqlite::memory:');
    // A stray table with a registry name makes 0001 collide, as a foreign schema in the same file would.
    await sql`create table runs (id integer)`.execute(db);

    const failure = migrateToLatest(db);
    await expect(failure).rejects.toThrow(RegistryMigrationError);
    await expect(failure).rejects.toThrow(/"0001-initial" failed: .*table "?runs"? already exists/);
  });

  it.each([
    ['mysql://root:s3cret@localhost/x', /scheme "mysql:"/],
    ['postgres://slipway:s3cret@db:5432', /names no PostgreSQL database/],
    ['postgresql://slipway:s3cret@db:99999/slipway', /not a valid postgres/],
    ['registry.db', /no scheme/],
    ['sqlite:', /names no file/],
    ['sqlite://host/registry.db', /authority/],
    ['', /empty/],
  ])('rejects %j naming the variable and the accepted forms', (url, reason) => {
    const attempt = () => openRegistryDatabase(url);
    expect(attempt).toThrow(UnsupportedDatabaseUrlError);
    expect(attempt).toThrow(/SLIPWAY_DATABASE_URL/);
    expect(attempt).toThrow(/sqlite:<path>.*sqlite::memory:.*postgres:\/\//);
    expect(attempt).toThrow(reason);
  });

  it.each(['postgres://slipway:s3cret@db:5432', 'mysql://root:s3cret@localhost/x', 'postgres://slipway:s3cret@db:notaport/x'])(
    'never echoes a password from a rejected URL (%#)',
    (url) => {
      expect(() => openRegistryDatabase(url)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
    },
  );
});

describe('openRegistryDatabase + migrateToLatest on PostgreSQL', () => {
  let postgres: TestPostgres;
  let database: TestPostgresDatabase;
  const opened: RegistryDb[] = [];

  beforeAll(async () => {
    postgres = await startTestPostgres();
  });
  afterAll(() => postgres.stop());

  beforeEach(async () => {
    database = await postgres.createDatabase();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.destroy()));
    await database.drop();
  });

  function open(url: string): RegistryDb {
    const db = openRegistryDatabase(url);
    opened.push(db);
    return db;
  }

  it.each(['postgres:', 'postgresql:'])('creates every table through a %s URL, and a second run applies nothing', async (scheme) => {
    const db = open(database.url.replace(/^postgres(ql)?:/, scheme));
    expect(await migrateToLatest(db)).toEqual(Object.keys(REGISTRY_MIGRATIONS));
    expect(await tableNames(db)).toEqual(TABLES);
    await db.insertInto('registered_models').values({ name: 'iris', created_at: '2025-06-01T12:00:00.000Z' }).execute();

    const restarted = open(database.url);
    expect(await migrateToLatest(restarted)).toEqual([]);
    expect(await restarted.selectFrom('registered_models').select('name').execute()).toEqual([{ name: 'iris' }]);
  });

  it('numbers audit entries itself and enforces foreign keys', async () => {
    const db = open(database.url);
    await migrateToLatest(db);
    const entry = { model_name: 'iris', alias: 'production', from_version: null, to_version: 1, actor: 'system', at: '2025-06-01T12:00:00.000Z' };
    await db.insertInto('alias_audit_log').values([entry, { ...entry, from_version: 1, to_version: 2 }]).execute();
    const ids = (await db.selectFrom('alias_audit_log').select('id').orderBy('id').execute()).map((r) => r.id);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBeGreaterThan(ids[0] ?? Infinity);

    const error = await rejectionOf(db.insertInto('model_aliases').values({ model_name: 'iris', alias: 'production', version: 7 }).execute());
    expect(error).toMatchObject({ code: '23503' });
  });

  it('fails with a RegistryMigrationError naming the migration and the database cause', async () => {
    const db = open(database.url);
    await sql`create table runs (id integer)`.execute(db);
    await expect(migrateToLatest(db)).rejects.toThrow(/"0001-initial" failed: .*"runs" already exists/);
  });
});
