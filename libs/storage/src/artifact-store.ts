import type { ArtifactRef } from '@slipway/contracts';
import type { z } from 'zod';

/** Content-addressed blob store: the same bytes always get the same digest, so writes are idempotent. */
export interface ArtifactStore {
  /** Where the store lives, for logs and readiness messages. */
  readonly location: string;
  put(bytes: Uint8Array, mediaType: string): Promise<ArtifactRef>;
  putJson(value: unknown, mediaType: string): Promise<ArtifactRef>;
  /** @throws ArtifactNotFoundError when no blob has that digest. */
  get(digest: string): Promise<Buffer>;
  /** Reads, verifies against the schema, and names the digest in any error. */
  getJson<T extends z.ZodType>(digest: string, schema: T): Promise<z.output<T>>;
  has(digest: string): Promise<boolean>;
  /** Checks the store can be written; used by readiness probes. */
  assertWritable(): Promise<void>;
}
