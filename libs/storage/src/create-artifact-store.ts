import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArtifactStore } from './artifact-store';
import { FileArtifactStore } from './file-artifact-store';

/** Opens the store named by SLIPWAY_ARTIFACTS: a `file://` URL or a plain path. */
export function createArtifactStore(location: string): ArtifactStore {
  if (location.startsWith('file://')) return new FileArtifactStore(fileURLToPath(location));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new Error(`SLIPWAY_ARTIFACTS="${location}": only file:// URLs and paths are supported`);
  }
  return new FileArtifactStore(resolve(location));
}
