import { Readable } from 'node:stream';
import { deflateSync, gzipSync } from 'node:zlib';
import { RequestBodyError } from '../errors/request-body.error';
import { RequestTooLargeError } from '../errors/request-too-large.error';
import { UnsupportedMediaTypeError } from '../errors/unsupported-media-type.error';
import { readRequestBody } from './read-request-body';

const LIMIT = 1024;

/** A request body as the HTTP server hands it over: a stream of chunks, consumed or not. */
function bodyStream(bytes: Buffer, chunkSize = 100): Readable & { consumed: () => number } {
  let consumed = 0;
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  const stream = Readable.from(
    (function* () {
      for (const chunk of chunks) {
        consumed += chunk.length;
        yield chunk;
      }
    })(),
    { objectMode: false },
  );
  return Object.assign(stream, { consumed: () => consumed });
}

const json = Buffer.from(JSON.stringify({ inputs: [{ name: 'x', shape: [3], datatype: 'FP32', data: [1, 2, 3] }] }));

describe('readRequestBody', () => {
  it('answers the bytes as sent, with or without an identity encoding', async () => {
    expect(await readRequestBody(bodyStream(json), { limit: LIMIT })).toEqual(json);
    expect(await readRequestBody(bodyStream(json), { limit: LIMIT, contentEncoding: 'identity', contentLength: String(json.length) })).toEqual(json);
  });

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['GZIP', gzipSync],
  ])('decompresses a %s body as it streams', async (encoding, compress) => {
    expect(await readRequestBody(bodyStream(compress(json), 7), { limit: LIMIT, contentEncoding: encoding })).toEqual(json);
  });

  it('refuses a body over the limit, naming the limit and its variable, after reading all of it', async () => {
    const stream = bodyStream(Buffer.alloc(LIMIT + 1, 0x20));
    const refusal = readRequestBody(stream, { limit: LIMIT });
    await expect(refusal).rejects.toThrow(RequestTooLargeError);
    await expect(refusal).rejects.toThrow(`over ${LIMIT} bytes`);
    await expect(refusal).rejects.toThrow('SLIPWAY_SERVING_MAX_BODY_BYTES');
    // Read to its end, so that the client, still sending, gets to read the answer.
    expect(stream.consumed()).toBe(LIMIT + 1);
  });

  it('refuses a body whose Content-Length is over the limit, and one far beyond it without reading it', async () => {
    await expect(readRequestBody(bodyStream(Buffer.alloc(10)), { limit: LIMIT, contentLength: String(LIMIT + 1) })).rejects.toThrow(RequestTooLargeError);
    const endless = bodyStream(Buffer.alloc(LIMIT * 10));
    await expect(readRequestBody(endless, { limit: LIMIT, contentLength: String(LIMIT * 10) })).rejects.toThrow(RequestTooLargeError);
    expect(endless.consumed()).toBe(0);
  });

  it('stops reading a body that goes on far past the limit', async () => {
    const stream = bodyStream(Buffer.alloc(LIMIT * 100));
    await expect(readRequestBody(stream, { limit: LIMIT })).rejects.toThrow(RequestTooLargeError);
    expect(stream.consumed()).toBeLessThan(LIMIT * 10);
  });

  it('counts the limit after decompression: a small gzip bomb is refused', async () => {
    const bomb = gzipSync(Buffer.alloc(LIMIT * 500, 0));
    expect(bomb.length).toBeLessThan(LIMIT);
    await expect(readRequestBody(bodyStream(bomb), { limit: LIMIT, contentEncoding: 'gzip' })).rejects.toThrow(RequestTooLargeError);
    // Just under the limit once unpacked passes.
    const fits = Buffer.alloc(LIMIT, 0x31);
    expect(await readRequestBody(bodyStream(gzipSync(fits)), { limit: LIMIT, contentEncoding: 'gzip' })).toEqual(fits);
  });

  it('refuses an encoding it cannot decode with 415, reading the body to its end first', async () => {
    for (const encoding of ['br', 'compress', 'gzip, deflate']) {
      const stream = bodyStream(json);
      await expect(readRequestBody(stream, { limit: LIMIT, contentEncoding: encoding })).rejects.toThrow(UnsupportedMediaTypeError);
      expect(stream.consumed()).toBe(json.length);
    }
    await expect(readRequestBody(bodyStream(json), { limit: LIMIT, contentEncoding: 'br' })).rejects.toThrow('gzip, deflate');
  });

  it('refuses corrupt compressed data and a body shorter than its Content-Length as bad requests', async () => {
    await expect(readRequestBody(bodyStream(json), { limit: LIMIT, contentEncoding: 'gzip' })).rejects.toThrow(RequestBodyError);
    await expect(readRequestBody(bodyStream(gzipSync(json).subarray(0, 20)), { limit: LIMIT, contentEncoding: 'gzip' })).rejects.toThrow(RequestBodyError);
    await expect(readRequestBody(bodyStream(json), { limit: LIMIT, contentLength: String(json.length + 5) })).rejects.toThrow(/Content-Length/);
  });
});
