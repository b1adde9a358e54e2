import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, testHarnessConfig } from '@slipway/config';
import { findFreePort, waitForExit } from '@slipway/local-runtime';
import { Client } from 'pg';

export interface TestPostgresDatabase {
  /** postgres:// URL of a database of its own. */
  url: string;
  drop(): Promise<void>;
}

export interface TestPostgres {
  /** URL of the maintenance database; create a database per test file or test with createDatabase(). */
  url: string;
  /** How the server was obtained, for test logs. */
  source: 'POSTGRES_URL' | 'testcontainers' | 'initdb';
  /** CREATE DATABASE test_<uuid>; drop() removes it (closing whatever still connects). */
  createDatabase(): Promise<TestPostgresDatabase>;
  stop(): Promise<void>;
}

export class PostgresNotFoundError extends Error {
  override readonly name = 'PostgresNotFoundError';
  constructor() {
    super(
      `no PostgreSQL answers at POSTGRES_URL, no Docker daemon answers, and no initdb under ${DEBIAN_POSTGRES_ROOT}/<version>/bin: ` +
        'install it (Debian/Ubuntu: `apt-get install -y postgresql`) or set POSTGRES_URL to a running server whose role may CREATE DATABASE',
    );
  }
}

const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
const READY_LINE = 'database system is ready to accept connections';

/**
 * A real PostgreSQL for integration tests: the one at POSTGRES_URL when it answers, else a testcontainers
 * PostgreSQL when a Docker daemon answers, else a throwaway cluster (Debian's initdb + postgres) as a child
 * process on a free loopback port, run as the `postgres` OS user when this process is root.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const config = loadConfig(testHarnessConfig);
  if (config.POSTGRES_URL && (await isPostgresAnswering(config.POSTGRES_URL))) {
    return withDatabases(config.POSTGRES_URL, 'POSTGRES_URL', async () => undefined);
  }
  const container = await startPostgresContainer(config.DOCKER_HOST);
  if (container) return container;
  return startPostgresCluster();
}

/** Resolves true when a PostgreSQL answers `select 1` at the URL within the timeout. */
export async function isPostgresAnswering(url: string, timeoutMs = 2_000): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withDatabases(url: string, source: TestPostgres['source'], stop: () => Promise<void>): TestPostgres {
  return {
    url,
    source,
    stop,
    createDatabase: async () => {
      const name = `test_${randomUUID().replaceAll('-', '')}`;
      await adminQuery(url, `create database ${name}`);
      const target = new URL(url);
      target.pathname = `/${name}`;
      return { url: target.toString(), drop: () => adminQuery(url, `drop database if exists ${name} with (force)`) };
    },
  };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function startPostgresContainer(dockerHost: string | undefined): Promise<TestPostgres | undefined> {
  // testcontainers is loaded only when a Docker endpoint may exist: its probe keeps handles open otherwise.
  if (!dockerHost && !existsSync('/var/run/docker.sock')) return undefined;
  const { GenericContainer, getContainerRuntimeClient, Wait } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const container = await new GenericContainer('postgres:16-alpine')
    .withEnvironment({ POSTGRES_USER: 'postgres', POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: 'postgres' })
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])
    .withExposedPorts(5432)
    // The image's init starts the server once, stops it, then starts it for real: the second "ready" counts.
    .withWaitStrategy(Wait.forLogMessage(READY_LINE, 2))
    .start();
  const url = `postgres://postgres:postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
  return withDatabases(url, 'testcontainers', async () => void (await container.stop()));
}

/** The newest Debian PostgreSQL whose bin/ holds initdb and postgres. */
function findPostgresBinaries(): string {
  const versions = existsSync(DEBIAN_POSTGRES_ROOT)
    ? readdirSync(DEBIAN_POSTGRES_ROOT)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(DEBIAN_POSTGRES_ROOT, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) throw new PostgresNotFoundError();
  return join(DEBIAN_POSTGRES_ROOT, newest, 'bin');
}

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` OS user (Debian creates it). */
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  // setpriv execs in place (no forking wrapper), so signals reach postgres itself.
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]];
}

function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const ids = { uid: id('-u'), gid: id('-g') };
  if (!Number.isInteger(ids.uid) || ids.uid <= 0) throw new Error('running as root needs the `postgres` OS user (created by `apt-get install postgresql`)');
  return ids;
}

async function startPostgresCluster(): Promise<TestPostgres> {
  const bin = findPostgresBinaries();
  const root = await mkdtemp(join(tmpdir(), 'slipway-test-postgres-'));
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresUserIds();
    await chown(root, uid, gid);
  }
  const dataDir = join(root, 'data');
  const [initCommand, initArgs] = asServerUser(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
  const init = spawnSync(initCommand, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) {
    await rm(root, { recursive: true, force: true });
    throw new Error(`initdb failed (exit ${init.status}): ${(init.stderr || init.stdout || String(init.error)).slice(-800)}`);
  }
  const port = await findFreePort();
  const [command, args] = asServerUser(join(bin, 'postgres'), [
    '-D', dataDir,
    '-p', String(port),
    '-k', root,
    '-c', 'listen_addresses=127.0.0.1',
    // A throwaway cluster: durability buys nothing and costs seconds per test file.
    '-c', 'fsync=off',
    '-c', 'synchronous_commit=off',
    '-c', 'full_page_writes=off',
  ]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await waitForReady(child, port);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return withDatabases(`postgres://postgres@127.0.0.1:${port}/postgres`, 'initdb', async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // SIGINT is PostgreSQL's "fast shutdown": sessions are ended, no checkpoint wait.
      child.kill('SIGINT');
      await waitForExit(child, 10_000);
    }
    await rm(root, { recursive: true, force: true });
  });
}

/** Resolves on the server's own "ready" log line; rejects when it exits or stays silent for 30 s. */
function waitForReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => finish(new Error(`postgres did not become ready on port ${port} within 30 s: ${output.slice(-800)}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY_LINE)) finish();
    };
    const onExit = (code: number | null) => finish(new Error(`postgres exited (code ${code}) before it was ready on port ${port}: ${output.slice(-800)}`));
    function finish(error?: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining the pipes, so a chatty server never blocks on a full one.
      child.stdout?.resume();
      child.stderr?.resume();
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}
