const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/**
 * The column a value of a hashed feature sets: FNV-1a (32 bit) of its UTF-8 bytes, modulo the bucket count. Stable
 * across processes and languages, so any client can compute it too.
 */
export function hashBucket(value: string, buckets: number): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of encoder.encode(value)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return (hash >>> 0) % buckets;
}
