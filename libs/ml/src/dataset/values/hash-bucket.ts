const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/**
 * The column a value of a hashed feature sets: FNV-1a (32 bit) of its UTF-8 bytes, modulo the bucket count. Stable
 * across processes and languages, so any client can compute it too.
 */
export function hashBucket(value: string, buckets: number): number {
  return (isAscii(value) ? fnv1a(value, (text, index) => text.charCodeAt(index), value.length) : fnv1aBytes(encoder.encode(value))) % buckets;
}

// ASCII text is its own UTF-8: hashing its character codes skips encoding (and allocating) every value.
function isAscii(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) if (value.charCodeAt(index) > 0x7f) return false;
  return true;
}

function fnv1aBytes(bytes: Uint8Array): number {
  return fnv1a(bytes, (data, index) => data[index], bytes.length);
}

function fnv1a<T>(data: T, byteAt: (data: T, index: number) => number, length: number): number {
  let hash = FNV_OFFSET_BASIS;
  for (let index = 0; index < length; index += 1) {
    hash ^= byteAt(data, index);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}
