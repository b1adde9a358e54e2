import type { Readable } from 'node:stream';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import { RequestBodyError } from '../errors/request-body.error';
import { RequestTooLargeError } from '../errors/request-too-large.error';
import { UnsupportedMediaTypeError } from '../errors/unsupported-media-type.error';
import { LIMIT_VARIABLES } from '../protocol/request-limits';

/**
 * How much more than the limit is read (and thrown away) before the answer: a client still sending its body when the
 * server closes the connection sees a reset instead of the 413 (HTTP/1.1 clients read the answer once they have sent
 * the request). Past this the connection is cut, so an endless body costs no more than this.
 */
const DISCARD_FACTOR = 4;

/** Content-Encoding values a request body may have (x-gzip is gzip's old name); anything else is answered 415. */
export const ACCEPTED_CONTENT_ENCODINGS = ['identity', 'gzip', 'x-gzip', 'deflate'] as const;

export interface ReadBodyOptions {
  /** Largest body kept, in bytes, counted after decompression so a small compressed body cannot unpack into a huge one. */
  limit: number;
  /** The request's Content-Encoding header. */
  contentEncoding?: string | undefined;
  /** The request's Content-Length header, when it sent one. */
  contentLength?: string | undefined;
}

/**
 * Reads a request body into one Buffer, decompressing gzip and deflate as it streams. A body over the limit (before or
 * after decompression) stops being kept or decompressed at once; the rest of it is read and dropped, up to
 * DISCARD_FACTOR times the limit, so the client reads a 413 rather than a reset connection.
 * @throws UnsupportedMediaTypeError for a Content-Encoding other than identity, gzip or deflate (before reading).
 * @throws RequestTooLargeError naming the limit and SLIPWAY_SERVING_MAX_BODY_BYTES.
 * @throws RequestBodyError for corrupt compressed data, or a body that ended before its Content-Length.
 */
export function readRequestBody(stream: Readable, options: ReadBodyOptions): Promise<Buffer> {
  const { limit } = options;
  let decoder: Gunzip | Inflate | undefined;
  let refused: Error | undefined;
  try {
    decoder = decoderFor(options.contentEncoding);
  } catch (error) {
    // Still read (and drop) the body, so the client gets the 415.
    refused = error as Error;
  }
  const tooLarge = () => new RequestTooLargeError(`request body is over ${limit} bytes (counted after decompression), serving's limit (${LIMIT_VARIABLES.bodyBytes})`);
  const declared = Number(options.contentLength);
  const discardLimit = limit * DISCARD_FACTOR;

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let received = 0;
    let failure: Error | undefined = refused ?? (declared > limit ? tooLarge() : undefined);
    let ended = false;
    let settled = false;

    const settle = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      stream.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, kept));
    };
    const fail = (error: Error) => {
      if (failure) return;
      failure = error;
      chunks.length = 0;
      decoder?.destroy();
      // The raw body may be paused for the decoder: from here on its bytes are only counted and dropped. Once it has
      // ended, the decoder (destroyed) will not end, so this is the answer.
      if (ended) settle(failure);
      else stream.resume();
    };
    const keep = (chunk: Buffer) => {
      if (failure) return;
      kept += chunk.length;
      if (kept > limit) fail(tooLarge());
      else chunks.push(chunk);
    };
    function onData(chunk: Buffer) {
      received += chunk.length;
      if (received > limit) fail(tooLarge());
      if (received > discardLimit) {
        // Far past the limit: stop reading. The answer goes out with `connection: close`.
        stream.pause();
        settle(failure);
        return;
      }
      if (failure) return;
      if (!decoder) return keep(chunk);
      if (!decoder.write(chunk)) {
        stream.pause();
        decoder.once('drain', () => stream.resume());
      }
    }
    function onEnd() {
      ended = true;
      if (!failure && !Number.isNaN(declared) && received !== declared) fail(new RequestBodyError(`the body has ${received} bytes but Content-Length says ${declared}`));
      if (failure || !decoder) return settle(failure);
      decoder.once('end', () => settle(failure));
      decoder.end();
    }
    function onError(error: Error) {
      settle(failure ?? new RequestBodyError(`the body could not be read: ${error.message}`));
    }
    function onAborted() {
      settle(failure ?? new RequestBodyError('the client stopped sending the body half way'));
    }

    if (decoder) {
      decoder.on('data', keep);
      decoder.on('error', (error: Error) => {
        fail(new RequestBodyError(`the ${options.contentEncoding?.trim()} body could not be decompressed: ${error.message}`));
      });
    }
    stream.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
    if (declared > discardLimit) settle(failure ?? tooLarge());
    else stream.resume();
  });
}

/** The decompressor of a Content-Encoding header; undefined for none or identity. */
function decoderFor(contentEncoding: string | undefined): Gunzip | Inflate | undefined {
  const codings = (contentEncoding ?? '').split(',').map((coding) => coding.trim().toLowerCase()).filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return undefined;
  const [coding] = codings;
  if (codings.length > 1 || !(ACCEPTED_CONTENT_ENCODINGS as readonly string[]).includes(coding as string)) {
    throw new UnsupportedMediaTypeError(`Content-Encoding "${contentEncoding}" is not supported; send the body as it is or with one of ${ACCEPTED_CONTENT_ENCODINGS.join(', ')}`);
  }
  return coding === 'deflate' ? createInflate() : createGunzip();
}
