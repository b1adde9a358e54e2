import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AsyncBuffer } from 'hyparquet';

/** The raw bytes of a data source, readable as often as a reader needs, and what identifies them. */
export interface RawSource {
  /** Names the source in errors: the resolved path, the URL (without credentials) or the artifact. */
  readonly description: string;
  /** The path or URL path whose extension picks the format when the source does not name one. */
  readonly name: string;
  /** `sha256:<hex>` of the raw bytes: it keys the prepare cache and the lineage. */
  readonly digest: string;
  readonly size: number;
  /** The bytes from the start, as a stream of chunks. */
  stream(): Readable;
  /** Random access to the bytes (Parquet reads its footer first). */
  randomAccess(): Promise<AsyncBuffer>;
}

// Small chunks keep a streaming parser's work per event-loop turn short, however large the source.
const CHUNK_BYTES = 64 * 1024;

/** A source held in memory (downloaded, or read from the artifact store). */
export function inMemorySource(description: string, name: string, bytes: Buffer): RawSource {
  return {
    description,
    name,
    digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    size: bytes.byteLength,
    stream: () => Readable.from(chunksOf(bytes)),
    randomAccess: () =>
      Promise.resolve({
        byteLength: bytes.byteLength,
        slice: (start: number, end?: number) => {
          const view = bytes.subarray(start, end);
          return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;
        },
      }),
  };
}

function* chunksOf(bytes: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < bytes.byteLength; offset += CHUNK_BYTES) yield bytes.subarray(offset, offset + CHUNK_BYTES);
}
