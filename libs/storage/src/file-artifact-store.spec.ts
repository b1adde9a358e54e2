import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifactRefSchema } from '@slipway/contracts';
import { z } from 'zod';
import { ArtifactCorruptError, ArtifactNotFoundError } from './artifact-errors';
import { FileArtifactStore } from './file-artifact-store';

const MEDIA_TYPE = 'application/octet-stream';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('FileArtifactStore', () => {
  let root: string;
  let store: FileArtifactStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-artifacts-'));
    store = new FileArtifactStore(root);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('names a blob by the sha256 of its bytes, with its size and media type', async () => {
    const bytes = Buffer.from('sepal_length,species\n5.1,setosa\n');
    const ref = await store.put(bytes, 'text/csv');
    expect(ref).toEqual({ digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.byteLength, mediaType: 'text/csv' });
    expect(artifactRefSchema.safeParse(ref).success).toBe(true);
  });

  it('gives the same bytes the same digest and keeps one file', async () => {
    const first = await store.put(Buffer.from('same bytes'), MEDIA_TYPE);
    const second = await store.put(Buffer.from('same bytes'), MEDIA_TYPE);
    expect(second.digest).toBe(first.digest);
    expect(await filesUnder(root)).toHaveLength(1);
  });

  it('gives different bytes different digests', async () => {
    const first = await store.put(Buffer.from('one'), MEDIA_TYPE);
    const second = await store.put(Buffer.from('two'), MEDIA_TYPE);
    expect(second.digest).not.toBe(first.digest);
    expect(await filesUnder(root)).toHaveLength(2);
  });

  it('reads back exactly the bytes that were put', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
    const { digest } = await store.put(bytes, MEDIA_TYPE);
    expect(Buffer.compare(await store.get(digest), Buffer.from(bytes))).toBe(0);
    expect(await store.has(digest)).toBe(true);
  });

  it('round-trips JSON through putJson and getJson', async () => {
    const schema = z.object({ classes: z.array(z.string()) });
    const value = { classes: ['setosa', 'versicolor'] };
    const { digest } = await store.putJson(value, 'application/json');
    expect(await store.getJson(digest, schema)).toEqual(value);
  });

  it('throws ArtifactNotFoundError naming the digest of a blob it does not hold', async () => {
    const digest = `sha256:${createHash('sha256').update('never stored').digest('hex')}`;
    expect(await store.has(digest)).toBe(false);
    const attempt = store.get(digest);
    await expect(attempt).rejects.toThrow(ArtifactNotFoundError);
    await expect(attempt).rejects.toThrow(digest);
  });

  it('throws ArtifactCorruptError naming the digest and field when JSON does not match the schema', async () => {
    const { digest } = await store.putJson({ classes: 'setosa' }, 'application/json');
    const attempt = store.getJson(digest, z.object({ classes: z.array(z.string()) }));
    await expect(attempt).rejects.toThrow(ArtifactCorruptError);
    await expect(attempt).rejects.toThrow(digest);
    await expect(attempt).rejects.toThrow(/classes/);
  });

  it('throws ArtifactCorruptError when a blob read as JSON is not JSON', async () => {
    const { digest } = await store.put(Buffer.from('not { json'), MEDIA_TYPE);
    await expect(store.getJson(digest, z.unknown())).rejects.toThrow(ArtifactCorruptError);
  });

  it.each(['sha256:abc', 'md5:d41d8cd98f00b204e9800998ecf8427e', `sha256:${'A'.repeat(64)}`, `sha256:${'0'.repeat(62)}/../x`])(
    'rejects the invalid digest %s instead of reading a path made from it',
    async (digest) => {
      await expect(store.get(digest)).rejects.toThrow(/invalid artifact digest/);
    },
  );

  it('is writable in a directory it creates', async () => {
    const nested = new FileArtifactStore(join(root, 'not', 'yet', 'there'));
    await expect(nested.assertWritable()).resolves.toBeUndefined();
    expect(await filesUnder(root)).toEqual([]);
  });

  it('reports a location that cannot be written', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, '');
    await expect(new FileArtifactStore(join(file, 'store')).assertWritable()).rejects.toThrow();
  });
});
