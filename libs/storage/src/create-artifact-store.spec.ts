import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createArtifactStore } from './create-artifact-store';

describe('createArtifactStore', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-artifacts-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('opens a store at an absolute path', async () => {
    const store = createArtifactStore(root);
    expect(store.location).toBe(root);
    const { digest } = await store.put(Buffer.from('x'), 'text/plain');
    expect(await store.has(digest)).toBe(true);
  });

  it('resolves a relative path against the working directory', () => {
    const relativePath = relative(process.cwd(), root);
    expect(createArtifactStore(relativePath).location).toBe(root);
  });

  it('opens a store at a file:// URL, and it holds the same blobs as the path', async () => {
    const fromPath = createArtifactStore(root);
    const fromUrl = createArtifactStore(pathToFileURL(root).href);
    expect(fromUrl.location).toBe(root);
    const { digest } = await fromPath.put(Buffer.from('shared'), 'text/plain');
    expect((await fromUrl.get(digest)).toString()).toBe('shared');
  });

  it.each(['s3://bucket/artifacts', 'gs://bucket/artifacts', 'https://example.com/artifacts'])('rejects the unsupported location %s, naming it', (location) => {
    expect(() => createArtifactStore(location)).toThrow(location);
  });
});
