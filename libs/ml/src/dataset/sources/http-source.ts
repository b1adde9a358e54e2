import { DataSourceUnavailableError } from '../../errors/data-source-unavailable.error';
import { DatasetError } from '../../errors/dataset.error';
import { inMemorySource, type RawSource } from './raw-source';
import { tooLarge } from './too-large';

export interface HttpLimits {
  hosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
}

const MAX_REDIRECTS = 5;
// Failures on the server's side or of the moment: the same request may succeed later, so the job is retried.
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Downloads an http(s) source from an allowed host into memory (so the bytes hashed are the bytes parsed), refusing
 * more than `maxBytes`. Redirects are followed by hand, at most five, each to an allowed host.
 * @throws DatasetError for a host not allowed, a client error status, a body above the limit;
 *   DataSourceUnavailableError for a timeout, a network failure or a server error (worth retrying).
 */
export async function openHttpSource(uri: string, limits: HttpLimits): Promise<RawSource> {
  let url = parseUrl(uri, () => `source.uri "${uri}" is not a valid URL`);
  for (let redirects = 0; ; redirects += 1) {
    assertAllowed(url, uri, limits.hosts);
    const answer = await request(url, limits.timeoutMs);
    const { status, headers, body } = answer.response;
    const location = status >= 300 && status < 400 ? headers.get('location') : null;
    if (location === null) return inMemorySource(shown(url), url.pathname, await readBody(url, answer, limits));
    await body?.cancel();
    if (redirects === MAX_REDIRECTS) throw new DatasetError(`${shown(url)}: more than ${MAX_REDIRECTS} redirects (source.uri "${shown(new URL(uri))}")`);
    const from = url;
    url = parseUrl(location, () => `${shown(from)} redirects to "${location}", which is not a valid URL`, from);
  }
}

/** @throws DatasetError with `message()` when `text` is not a URL (relative to `base`, if given). */
function parseUrl(text: string, message: () => string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch {
    throw new DatasetError(message());
  }
}

function assertAllowed(url: URL, uri: string, hosts: readonly string[]): void {
  const original = shown(new URL(uri));
  const via = url.href === new URL(uri).href ? '' : ` (redirected from ${original})`;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DatasetError(`${shown(url)}${via}: only http and https sources are read`);
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  if (!hosts.some((allowed) => allowed === host || allowed === hostname)) {
    const allowed = hosts.length === 0 ? 'none is allowed' : `allowed: ${hosts.join(', ')}`;
    throw new DatasetError(`${shown(url)}${via}: host "${host}" is not in SLIPWAY_DATA_HTTP_HOSTS (${allowed})`);
  }
}

interface Answer {
  response: Response;
  /** Aborts the connection (a body that went silent). */
  abort: () => void;
}

async function request(url: URL, timeoutMs: number): Promise<Answer> {
  // Not AbortSignal.timeout: that would also cut a long download that keeps sending. This one covers the headers only.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { redirect: 'manual', signal: controller.signal });
    if (RETRYABLE_STATUS.has(response.status)) {
      await response.body?.cancel();
      throw new DataSourceUnavailableError(`${shown(url)} answered HTTP ${response.status} ${response.statusText}; the job will be retried`);
    }
    if (response.status >= 400) {
      await response.body?.cancel();
      throw new DatasetError(`${shown(url)} answered HTTP ${response.status} ${response.statusText}`);
    }
    return { response, abort: () => controller.abort() };
  } catch (error) {
    if (error instanceof DatasetError || error instanceof DataSourceUnavailableError) throw error;
    throw unavailable(url, error, timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

async function readBody(url: URL, { response, abort }: Answer, limits: HttpLimits): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limits.maxBytes) {
    await response.body?.cancel();
    throw tooLarge(shown(url), declared, limits.maxBytes);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await withTimeout(reader.read(), limits.timeoutMs, url).catch((error: unknown) => {
      abort();
      throw error instanceof DataSourceUnavailableError ? error : unavailable(url, error, limits.timeoutMs);
    });
    if (done) break;
    total += value.byteLength;
    if (total > limits.maxBytes) {
      await reader.cancel();
      throw tooLarge(shown(url), Number.POSITIVE_INFINITY, limits.maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** Each read of the body may stay silent at most timeoutMs, however long the whole download takes. */
async function withTimeout<T>(read: Promise<T>, timeoutMs: number, url: URL): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DataSourceUnavailableError(`${shown(url)} sent nothing for ${timeoutMs} ms (SLIPWAY_DATA_HTTP_TIMEOUT_MS)`)), timeoutMs);
  });
  try {
    return await Promise.race([read, silence]);
  } finally {
    clearTimeout(timer);
  }
}

function unavailable(url: URL, error: unknown, timeoutMs: number): DataSourceUnavailableError {
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new DataSourceUnavailableError(`${shown(url)} did not answer within ${timeoutMs} ms (SLIPWAY_DATA_HTTP_TIMEOUT_MS)`);
  }
  const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
  return new DataSourceUnavailableError(`${shown(url)} could not be read: ${cause}`);
}

/** The URL without user name and password, for messages. */
function shown(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}
