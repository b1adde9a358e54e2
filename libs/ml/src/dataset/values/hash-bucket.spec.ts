import { hashBucket } from './hash-bucket';

describe('hashBucket', () => {
  it('is FNV-1a 32 of the UTF-8 bytes, modulo the buckets', () => {
    // Published FNV-1a 32 test vectors: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(hashBucket('', 2 ** 31)).toBe(0x811c9dc5 % 2 ** 31);
    expect(hashBucket('a', 1_000_003)).toBe(0xe40c292c % 1_000_003);
    expect(hashBucket('foobar', 32)).toBe(0xbf9cf968 % 32);
  });

  it('hashes the UTF-8 bytes of characters beyond ASCII, not their UTF-16 or Latin-1 codes', () => {
    // "é" is U+00E9: UTF-8 bytes C3 A9 give 0x1e9de8c1; the single byte E9 would give 0x6c0b6c44.
    expect(hashBucket('é', 2 ** 31)).toBe(0x1e9de8c1 % 2 ** 31);
  });
});
