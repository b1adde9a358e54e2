import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { AsyncBuffer } from 'hyparquet';
import { DatasetError } from '../../errors/dataset.error';
import type { RawSource } from './raw-source';
import { tooLarge } from './too-large';

/**
 * A file inside the data root, named by a path (relative to the root, or absolute) or a file:// URL. The real path
 * (symbolic links resolved) must lie inside the root's real path, so `../x`, absolute paths elsewhere and links that
 * point out are refused. The file is streamed, never held whole: once to hash it, again for each read.
 * @throws DatasetError naming the uri and the root when the file is outside it, missing, unreadable, a directory or too large.
 */
export async function openLocalSource(uri: string, dataRoot: string, maxBytes: number): Promise<RawSource> {
  const path = await resolveInsideRoot(uri, dataRoot);
  const info = await stat(path);
  if (!info.isFile()) throw new DatasetError(`dataset path ${path} is not a file (source.uri "${uri}")`);
  if (info.size > maxBytes) throw tooLarge(path, info.size, maxBytes);
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash).catch((error: NodeJS.ErrnoException) => {
    throw new DatasetError(`dataset file ${path} cannot be read: ${error.code ?? error.message} (source.uri "${uri}")`);
  });
  return {
    description: path,
    name: path,
    digest: `sha256:${hash.digest('hex')}`,
    size: info.size,
    stream: () => createReadStream(path),
    randomAccess: () => Promise.resolve(fileRanges(path, info.size)),
  };
}

async function resolveInsideRoot(uri: string, dataRoot: string): Promise<string> {
  const givenRoot = resolve(dataRoot);
  const realRoot = await realpath(givenRoot).catch(() => {
    throw new DatasetError(`the data root ${givenRoot} (SLIPWAY_DATA_ROOT) does not exist, so source.uri "${uri}" cannot be read`);
  });
  const candidate = resolve(givenRoot, fromFileUrl(uri));
  const resolved = await realpath(candidate).then(
    (path) => ({ path, problem: undefined }),
    (error: NodeJS.ErrnoException) => ({ path: undefined, problem: error.code === 'ENOENT' || error.code === 'ENOTDIR' ? 'does not exist' : `cannot be read: ${error.code ?? error.message}` }),
  );
  const real = resolved.path;
  if (real === undefined) {
    // Say "outside" before "missing", so probing paths outside the root learns nothing about them.
    if (!isInside(givenRoot, candidate) && !isInside(realRoot, candidate)) throw outsideRoot(uri, candidate, givenRoot);
    throw new DatasetError(`dataset file ${candidate} ${resolved.problem} (source.uri "${uri}")`);
  }
  if (!isInside(realRoot, real)) {
    const how = real === candidate ? '' : ` (through a symbolic link, from ${candidate})`;
    throw outsideRoot(uri, `${real}${how}`, realRoot);
  }
  return real;
}

function fromFileUrl(uri: string): string {
  if (!uri.startsWith('file://')) return uri;
  try {
    return fileURLToPath(uri);
  } catch (error) {
    throw new DatasetError(`dataset URI "${uri}" is not a usable file:// URL: ${(error as Error).message}`);
  }
}

function isInside(root: string, path: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot !== '..' && !fromRoot.startsWith(`..${sep}`) && !isAbsolute(fromRoot);
}

function outsideRoot(uri: string, path: string, root: string): DatasetError {
  return new DatasetError(`source.uri "${uri}" resolves to ${path}, outside the data root ${root} (SLIPWAY_DATA_ROOT); only files inside it are read`);
}

/** Reads byte ranges of the file on demand: Parquet needs the footer first and then only the column chunks. */
function fileRanges(path: string, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const bytes = Buffer.alloc(end - start);
      const file = await open(path);
      try {
        for (let filled = 0; filled < bytes.byteLength; ) {
          const { bytesRead } = await file.read(bytes, filled, bytes.byteLength - filled, start + filled);
          if (bytesRead === 0) throw new DatasetError(`${path} ended at byte ${start + filled} while ${end} were expected; was it changed while being read?`);
          filled += bytesRead;
        }
      } finally {
        await file.close();
      }
      return bytes.buffer as ArrayBuffer;
    },
  };
}
