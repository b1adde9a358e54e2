import type { TfBackend } from '@slipway/contracts';
import type { ArtifactStore, FileArtifactStore } from '@slipway/storage';
import { initTensorflow } from '../backend/init-tensorflow';
import { createTempArtifactStore, type TempArtifactStore } from './temp-artifact-store';

export interface TrainingFixture<T> {
  /** The describe block's store, there from its beforeAll on. */
  readonly store: FileArtifactStore;
  /** What `prepare` put into the store, e.g. a prepared dataset's ref. */
  readonly dataset: T;
}

/**
 * For the tests of the enclosing describe block: starts the backend, fills a fresh temp artifact store with `prepare`
 * once, and removes the store after the block.
 */
export function useTrainingFixture<T>(backend: TfBackend, prepare: (store: ArtifactStore) => Promise<T>): TrainingFixture<T> {
  let temp: TempArtifactStore | undefined;
  let prepared: { dataset: T } | undefined;
  beforeAll(async () => {
    await initTensorflow(backend);
    temp = await createTempArtifactStore();
    prepared = { dataset: await prepare(temp.store) };
  });
  afterAll(() => temp?.remove());
  const ready = (): { temp: TempArtifactStore; prepared: { dataset: T } } => {
    if (!temp || !prepared) throw new Error('the training fixture is read before its beforeAll ran');
    return { temp, prepared };
  };
  return {
    get store() {
      return ready().temp.store;
    },
    get dataset() {
      return ready().prepared.dataset;
    },
  };
}
