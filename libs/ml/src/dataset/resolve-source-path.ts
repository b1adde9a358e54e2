import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatasetError } from '../errors/dataset.error';

/** A dataset URI as a file path: `file://` URLs as they are, plain paths relative to `dataRoot`. */
export function resolveSourcePath(uri: string, dataRoot: string): string {
  if (uri.startsWith('file://')) {
    try {
      return fileURLToPath(uri);
    } catch (error) {
      throw new DatasetError(`dataset URI "${uri}" is not a usable file:// URL: ${(error as Error).message}`);
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    throw new DatasetError(`dataset URI "${uri}": only file:// URLs and paths are supported`);
  }
  return isAbsolute(uri) ? uri : resolve(dataRoot, uri);
}
