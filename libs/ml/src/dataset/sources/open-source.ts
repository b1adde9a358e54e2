import type { ArtifactStore } from '@slipway/storage';
import { DatasetError } from '../../errors/dataset.error';
import { openArtifactSource } from './artifact-source';
import { openHttpSource } from './http-source';
import { openLocalSource } from './local-source';
import type { RawSource } from './raw-source';
import { DEFAULT_HTTP_TIMEOUT_MS, DEFAULT_MAX_SOURCE_BYTES, type SourceAccess } from './source-access';

/**
 * Opens a dataset source by its uri: a path or file:// URL inside the data root, an http(s):// URL on an allowed
 * host, or `artifact:sha256:<hex>`. Every kind is held to the same size limit.
 * @throws DatasetError for a scheme it does not read, and for what each kind refuses.
 */
export async function openSource(uri: string, store: ArtifactStore, access: SourceAccess): Promise<RawSource> {
  const maxBytes = access.maxBytes ?? DEFAULT_MAX_SOURCE_BYTES;
  if (uri.startsWith('artifact:')) return openArtifactSource(uri, store, maxBytes);
  if (/^https?:\/\//i.test(uri)) {
    return openHttpSource(uri, { hosts: access.httpHosts ?? [], maxBytes, timeoutMs: access.httpTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !uri.startsWith('file://')) {
    throw new DatasetError(`dataset URI "${uri}": only paths, file://, http(s):// and artifact:sha256: sources are read`);
  }
  return openLocalSource(uri, access.dataRoot, maxBytes);
}
