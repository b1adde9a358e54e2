import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort } from './free-port';
import { isRedisAnswering, startRedisServer, type RunningRedis } from './redis-server';

describe('startRedisServer', () => {
  let dataRoot: string;
  let server: RunningRedis | undefined;

  beforeEach(async () => {
    dataRoot = await mkdtemp(join(tmpdir(), 'slipway-redis-'));
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
    await rm(dataRoot, { recursive: true, force: true });
  });

  it('starts a redis-server on loopback that answers commands and keeps its data under the directory', async () => {
    const dataDir = join(dataRoot, 'not-yet-created');
    server = await startRedisServer(dataDir);
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const client = new Redis(server.url);
    try {
      await client.set('slipway:probe', 'stored');
      expect(await client.get('slipway:probe')).toBe('stored');
    } finally {
      client.disconnect();
    }
    expect(await readdir(dataDir)).not.toEqual([]);
  });

  it('ends the process on stop(), after which the URL no longer answers', async () => {
    server = await startRedisServer(dataRoot);
    const child = server.process;
    expect(child).toBeDefined();
    await server.stop();
    expect(child?.exitCode !== null || child?.signalCode !== null).toBe(true);
    expect(await isRedisAnswering(server.url)).toBe(false);
  });

  it('starts two servers side by side on different ports', async () => {
    server = await startRedisServer(join(dataRoot, 'first'));
    const second = await startRedisServer(join(dataRoot, 'second'));
    try {
      expect(second.url).not.toBe(server.url);
      expect(await isRedisAnswering(second.url)).toBe(true);
    } finally {
      await second.stop();
    }
  });
});

describe('isRedisAnswering', () => {
  it('is false for a port nothing listens on', async () => {
    const port = await findFreePort();
    expect(await isRedisAnswering(`redis://127.0.0.1:${port}`)).toBe(false);
  });

  it('is false for a server that is not Redis', async () => {
    const http: Server = createServer((_request, response) => response.end('hello'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const address = http.address();
    try {
      expect(typeof address === 'object' && address !== null).toBe(true);
      expect(await isRedisAnswering(`redis://127.0.0.1:${(address as { port: number }).port}`)).toBe(false);
    } finally {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
