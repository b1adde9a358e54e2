import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { pathToFileURL } from 'node:url';
import { FileArtifactStore } from '@slipway/storage';
import { DataSourceUnavailableError } from '../../errors/data-source-unavailable.error';
import { DatasetError } from '../../errors/dataset.error';
import { openSource } from './open-source';
import type { SourceAccess } from './source-access';

const CSV = 'a,label\n1,x\n2,y\n';
const sha256 = (content: string | Buffer) => `sha256:${createHash('sha256').update(content).digest('hex')}`;

describe('openSource', () => {
  let base: string;
  let root: string;
  let store: FileArtifactStore;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'slipway-sources-'));
    root = join(base, 'data');
    await mkdir(join(root, 'nested'), { recursive: true });
    await writeFile(join(root, 'nested', 'small.csv'), CSV);
    await writeFile(join(base, 'secret.csv'), 'password,label\nhunter2,x\n');
    await symlink(join(base, 'secret.csv'), join(root, 'escape.csv'));
    await symlink(join(root, 'nested', 'small.csv'), join(root, 'alias.csv'));
    await symlink(join(root, 'loop-b.csv'), join(root, 'loop-a.csv'));
    await symlink(join(root, 'loop-a.csv'), join(root, 'loop-b.csv'));
    store = new FileArtifactStore(join(base, 'artifacts'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  const open = (uri: string, access: Partial<SourceAccess> = {}) => openSource(uri, store, { dataRoot: root, ...access });

  describe('local files', () => {
    it('reads a path inside the data root, and a file:// URL there, hashing the raw bytes', async () => {
      const source = await open('nested/small.csv');
      expect(source.digest).toBe(sha256(CSV));
      expect(await text(source.stream())).toBe(CSV);
      expect((await open(pathToFileURL(join(root, 'nested/small.csv')).href)).digest).toBe(sha256(CSV));
      expect((await open('alias.csv')).description).toBe(join(root, 'nested', 'small.csv'));
    });

    it.each(['../secret.csv', 'nested/../../secret.csv', '/etc/passwd', 'file:///etc/passwd', '../../etc/hostname'])('refuses %s, naming the uri and the root', async (uri) => {
      const attempt = open(uri);
      await expect(attempt).rejects.toThrow(DatasetError);
      await expect(attempt).rejects.toThrow(new RegExp(`source.uri "${uri.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" resolves to .*, outside the data root ${root}`));
    });

    it('refuses a symbolic link that points out of the data root', async () => {
      await expect(open('escape.csv')).rejects.toThrow(`source.uri "escape.csv" resolves to ${join(base, 'secret.csv')} (through a symbolic link, from ${join(root, 'escape.csv')}), outside the data root ${root}`);
    });

    it('names the resolved path of a missing file and a missing data root', async () => {
      await expect(open('nope/missing.csv')).rejects.toThrow(`dataset file ${join(root, 'nope/missing.csv')} does not exist (source.uri "nope/missing.csv")`);
      await expect(open('x.csv', { dataRoot: join(base, 'absent') })).rejects.toThrow(`the data root ${join(base, 'absent')} (SLIPWAY_DATA_ROOT) does not exist`);
      await expect(open('nested')).rejects.toThrow(`dataset path ${join(root, 'nested')} is not a file`);
      // A path through a file, as if it were a folder, is missing too, not an unexplained ENOTDIR.
      await expect(open('nested/small.csv/x.csv')).rejects.toThrow(new DatasetError(`dataset file ${join(root, 'nested/small.csv/x.csv')} does not exist (source.uri "nested/small.csv/x.csv")`));
    });

    it('names a link that loops as unreadable', async () => {
      await expect(open('loop-a.csv')).rejects.toThrow(new DatasetError(`dataset file ${join(root, 'loop-a.csv')} cannot be read: ELOOP (source.uri "loop-a.csv")`));
    });

    it('refuses a file above the size limit', async () => {
      await expect(open('nested/small.csv', { maxBytes: 10 })).rejects.toThrow(/small\.csv is 0\.0 MiB \(16 bytes\), above the limit of 0\.0 MiB \(10 bytes, SLIPWAY_DATA_MAX_BYTES\)/);
    });

    it('refuses schemes it does not read', async () => {
      await expect(open('s3://bucket/iris.csv')).rejects.toThrow('dataset URI "s3://bucket/iris.csv": only paths, file://, http(s):// and artifact:sha256: sources are read');
    });
  });

  describe('http(s)', () => {
    let server: Server;
    let origin: string;
    let requests: string[];
    beforeAll(async () => {
      server = createServer((request, response) => {
        requests.push(request.url ?? '');
        if (request.url === '/small.csv') return void response.end(CSV);
        if (request.url === '/big.csv') return void response.end('x'.repeat(5_000));
        if (request.url === '/endless.csv') {
          // No content-length: the limit must hold while the body streams.
          response.write('x'.repeat(4_000));
          return void setTimeout(() => response.end('x'.repeat(4_000)), 20);
        }
        if (request.url === '/silent.csv') return void response.write('a,label\n');
        if (request.url === '/moved.csv') return void response.writeHead(302, { location: '/small.csv' }).end();
        if (request.url === '/away.csv') return void response.writeHead(302, { location: 'http://localhost:1/x.csv' }).end();
        if (request.url === '/busy.csv') return void response.writeHead(503).end();
        if (request.url === '/broken-redirect.csv') return void response.writeHead(302, { location: 'http://[::1' }).end();
        response.writeHead(404).end();
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    beforeEach(() => {
      requests = [];
    });
    afterAll(async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    });

    it('downloads from an allowed host, by name or by host and port', async () => {
      const source = await open(`${origin}/small.csv`, { httpHosts: ['127.0.0.1'] });
      expect(source.digest).toBe(sha256(CSV));
      expect(source.name).toBe('/small.csv');
      expect(await text(source.stream())).toBe(CSV);
      expect((await open(`${origin}/small.csv`, { httpHosts: [new URL(origin).host] })).size).toBe(CSV.length);
    });

    it('refuses every host when none is allowed, and a host not on the list, without a request', async () => {
      await expect(open(`${origin}/small.csv`)).rejects.toThrow(`${origin}/small.csv: host "${new URL(origin).host}" is not in SLIPWAY_DATA_HTTP_HOSTS (none is allowed)`);
      await expect(open(`${origin}/small.csv`, { httpHosts: ['data.example.org', '127.0.0.1:1'] })).rejects.toThrow(/\(allowed: data\.example\.org, 127\.0\.0\.1:1\)/);
      expect(requests).toEqual([]);
    });

    it('follows redirects only to allowed hosts', async () => {
      expect((await open(`${origin}/moved.csv`, { httpHosts: ['127.0.0.1'] })).digest).toBe(sha256(CSV));
      await expect(open(`${origin}/away.csv`, { httpHosts: ['127.0.0.1'] })).rejects.toThrow(`http://localhost:1/x.csv (redirected from ${origin}/away.csv): host "localhost:1" is not in SLIPWAY_DATA_HTTP_HOSTS`);
    });

    it('names a URL that does not parse, given or redirected to, as bad input', async () => {
      await expect(open('https://', { httpHosts: ['127.0.0.1'] })).rejects.toThrow(new DatasetError('source.uri "https://" is not a valid URL'));
      await expect(open(`${origin}/broken-redirect.csv`, { httpHosts: ['127.0.0.1'] })).rejects.toThrow(
        new DatasetError(`${origin}/broken-redirect.csv redirects to "http://[::1", which is not a valid URL`),
      );
    });

    it('refuses a body above the size limit, declared or streamed', async () => {
      await expect(open(`${origin}/big.csv`, { httpHosts: ['127.0.0.1'], maxBytes: 1_000 })).rejects.toThrow(/big\.csv is 0\.0 MiB \(5000 bytes\), above the limit/);
      await expect(open(`${origin}/endless.csv`, { httpHosts: ['127.0.0.1'], maxBytes: 6_000 })).rejects.toThrow(/endless\.csv is more, above the limit of 0\.0 MiB \(6000 bytes/);
    });

    it('says the status of a failed request: a client error is permanent, a server error worth retrying', async () => {
      const missing = open(`${origin}/missing.csv`, { httpHosts: ['127.0.0.1'] });
      await expect(missing).rejects.toThrow(DatasetError);
      await expect(missing).rejects.toThrow(`${origin}/missing.csv answered HTTP 404 Not Found`);
      const busy = open(`${origin}/busy.csv`, { httpHosts: ['127.0.0.1'] });
      await expect(busy).rejects.toThrow(DataSourceUnavailableError);
      await expect(busy).rejects.toThrow(/answered HTTP 503 Service Unavailable; the job will be retried/);
    });

    it('gives up on a body that goes silent, and on a host that does not answer', async () => {
      await expect(open(`${origin}/silent.csv`, { httpHosts: ['127.0.0.1'], httpTimeoutMs: 100 })).rejects.toThrow(`${origin}/silent.csv sent nothing for 100 ms (SLIPWAY_DATA_HTTP_TIMEOUT_MS)`);
      await expect(open('http://127.0.0.1:1/x.csv', { httpHosts: ['127.0.0.1'] })).rejects.toThrow(DataSourceUnavailableError);
    });

    it('keeps credentials in the URL out of its messages', async () => {
      const attempt = open(`http://user:s3cret@127.0.0.1:${new URL(origin).port}/small.csv`);
      await expect(attempt).rejects.toThrow(/host "127\.0\.0\.1:\d+" is not in SLIPWAY_DATA_HTTP_HOSTS/);
      await expect(attempt).rejects.not.toThrow(/s3cret/);
    });
  });

  describe('the artifact store', () => {
    it('reads artifact:sha256:<hex>, whose digest is the source digest', async () => {
      const ref = await store.put(Buffer.from(CSV), 'text/csv');
      const source = await open(`artifact:${ref.digest}`);
      expect(source.digest).toBe(ref.digest);
      expect(await text(source.stream())).toBe(CSV);
    });

    it('names a malformed reference, a missing artifact and one above the size limit', async () => {
      await expect(open('artifact:sha256:abc')).rejects.toThrow('source.uri "artifact:sha256:abc" is not an artifact reference: expected artifact:sha256:<64 hex digits>');
      const absent = `artifact:sha256:${'0'.repeat(64)}`;
      await expect(open(absent)).rejects.toThrow(`source.uri "${absent}": no such artifact in the store at ${store.location}`);
      const ref = await store.put(Buffer.from(CSV), 'text/csv');
      await expect(open(`artifact:${ref.digest}`, { maxBytes: 4 })).rejects.toThrow(/above the limit/);
    });
  });
});
