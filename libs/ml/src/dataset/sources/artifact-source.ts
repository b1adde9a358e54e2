import { ArtifactNotFoundError, type ArtifactStore } from '@slipway/storage';
import { DatasetError } from '../../errors/dataset.error';
import { inMemorySource, type RawSource } from './raw-source';
import { tooLarge } from './too-large';

export const ARTIFACT_URI = /^artifact:(sha256:[a-f0-9]{64})$/;

/**
 * A blob of the artifact store, `artifact:sha256:<hex>`. The store hands out whole blobs, so it is held in memory.
 * @throws DatasetError when the uri is malformed, the blob is not stored or it is above the size limit.
 */
export async function openArtifactSource(uri: string, store: ArtifactStore, maxBytes: number): Promise<RawSource> {
  const digest = ARTIFACT_URI.exec(uri)?.[1];
  if (digest === undefined) throw new DatasetError(`source.uri "${uri}" is not an artifact reference: expected artifact:sha256:<64 hex digits>`);
  let bytes: Buffer;
  try {
    bytes = await store.get(digest);
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) throw new DatasetError(`source.uri "${uri}": no such artifact in the store at ${store.location}`);
    throw error;
  }
  if (bytes.byteLength > maxBytes) throw tooLarge(uri, bytes.byteLength, maxBytes);
  return inMemorySource(uri, uri, bytes);
}
