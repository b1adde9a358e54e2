import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FileArtifactStore } from '@slipway/storage';

/** The repository's data folder (iris.csv lives there), for tests and benchmarks. */
export const DATA_ROOT = resolve(__dirname, '../../../../data');

export interface TempArtifactStore {
  store: FileArtifactStore;
  /** Deletes the store's directory. */
  remove(): Promise<void>;
}

/** A FileArtifactStore in a fresh directory under the OS temp dir. */
export async function createTempArtifactStore(): Promise<TempArtifactStore> {
  const root = await mkdtemp(join(tmpdir(), 'slipway-ml-'));
  return { store: new FileArtifactStore(root), remove: () => rm(root, { recursive: true, force: true }) };
}
