import { Controller, HttpCode, Param, Post, Req, type INestApplication } from '@nestjs/common';
import { SERVICE_CONFIG } from '@slipway/config';
import { DEFAULT_REQUEST_LIMITS, ModelNotFoundError, ModelNotReadyError, QueueFullError } from '@slipway/inference';
import { InferenceInputError } from '@slipway/model-runtimes';
import { bootstrapService } from '@slipway/observability';
import type { FastifyRequest } from 'fastify';
import { deflateSync, gzipSync } from 'node:zlib';
import { inferRequestBody } from './http/infer-body';
import { answerWrongMethods } from './http/method-not-allowed';
import { RequestBodies } from './http/request-bodies';
import { httpErrors } from './http-errors';

const BODY_LIMIT = 1024;

/** An infer route that reads its body the way serving's do, then fails as the model named says. */
@Controller('v2/models/:model')
class FailingInferController {
  @Post('infer')
  @HttpCode(200)
  infer(@Param('model') model: string, @Req() request: FastifyRequest): unknown {
    const body = inferRequestBody(request, DEFAULT_REQUEST_LIMITS);
    if (model === 'unknown') throw new ModelNotFoundError(model, 'production');
    if (model === 'loading') throw new ModelNotReadyError(model, 'production');
    if (model === 'busy') throw new QueueFullError(model, 1, 8);
    if (model === 'picky') throw new InferenceInputError('input "sepal_length" is missing', 'sepal_length');
    if (model === 'broken') throw new Error('tensor shape mismatch in layer dense_1');
    return body;
  }
}

describe("serving's HTTP error table and raw body parsing, over real HTTP", () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    app = await bootstrapService(
      {
        module: class ErrorsModule {},
        controllers: [FailingInferController],
        providers: [{ provide: SERVICE_CONFIG, useValue: { SLIPWAY_SERVING_MAX_BODY_BYTES: BODY_LIMIT } }, RequestBodies],
      },
      { service: 'serving', port: 0, host: '127.0.0.1', logLevel: 'fatal', httpErrors, configureFastify: answerWrongMethods },
    );
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Bytes, so that fetch adds no content type of its own when none is given. */
  const infer = (model: string, body: string | Buffer, contentType?: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${baseUrl}/v2/models/${model}/infer`, { method: 'POST', headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers }, body: Buffer.from(body) });

  async function errorOf(response: Response, status: number): Promise<string> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    return ((await response.json()) as { error: string }).error;
  }

  it('answers JSON bodies sent as application/json, application/octet-stream or without a content type', async () => {
    for (const contentType of ['application/json', 'application/octet-stream', undefined]) {
      const response = await infer('iris', '{"inputs":[]}', contentType);
      expect({ contentType, status: response.status, body: await response.json() }).toEqual({ contentType, status: 200, body: { inputs: [] } });
    }
  });

  it('maps each domain error to its status, with Retry-After on a full queue', async () => {
    expect(await errorOf(await infer('picky', '{}', 'application/json'), 400)).toContain('sepal_length');
    expect(await errorOf(await infer('unknown', '{}', 'application/json'), 404)).toContain('"unknown"');
    const busy = await infer('busy', '{}', 'application/json');
    expect(await errorOf(busy, 429)).toContain('retry shortly');
    expect(busy.headers.get('retry-after')).toBe('1');
    // A 5xx the table names keeps its message, which says which model is not loaded yet.
    expect(await errorOf(await infer('loading', '{}', 'application/json'), 503)).toContain('loading');
    expect(await errorOf(await infer('broken', '{}', 'application/json'), 500)).toBe('internal error');
  });

  it('answers 400 for a body that is not JSON, whatever its content type says', async () => {
    await errorOf(await infer('iris', '{"inputs":', 'application/json'), 400);
    expect(await errorOf(await infer('iris', 'not json', 'application/octet-stream'), 400)).toContain('Inference-Header-Content-Length');
    await errorOf(await infer('iris', 'not json'), 400);
  });

  it('answers 400 naming the problem for an empty body, and takes form content types as bytes like any other', async () => {
    expect(await errorOf(await infer('iris', '', 'application/json'), 400)).toContain('empty');
    const form = await infer('iris', '{"inputs":[]}', 'application/x-www-form-urlencoded');
    expect(await form.json()).toEqual({ inputs: [] });
  });

  it('answers 413 naming the limit for a body over it, whatever its content type, also when many arrive at once', async () => {
    const large = `{"pad":"${'x'.repeat(BODY_LIMIT)}"}`;
    for (const contentType of ['application/json', 'application/octet-stream', undefined]) {
      expect(await errorOf(await infer('iris', large, contentType), 413)).toContain(`over ${BODY_LIMIT} bytes`);
    }
    const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await infer('iris', large, 'application/json')).status));
    expect(statuses).toEqual(new Array(20).fill(413));
  });

  it('reads gzip and deflate bodies, counting the limit after decompression, and answers 415 for other encodings', async () => {
    const json = '{"inputs":[{"name":"x"}]}';
    const gzipped = await infer('iris', gzipSync(json), 'application/json', { 'content-encoding': 'gzip' });
    expect(await gzipped.json()).toEqual(JSON.parse(json));
    const deflated = await infer('iris', deflateSync(json), undefined, { 'content-encoding': 'deflate' });
    expect(await deflated.json()).toEqual(JSON.parse(json));
    const bomb = gzipSync(Buffer.from(`{"pad":"${' '.repeat(BODY_LIMIT * 50)}"}`));
    expect(bomb.length).toBeLessThan(BODY_LIMIT);
    expect(await errorOf(await infer('iris', bomb, 'application/json', { 'content-encoding': 'gzip' }), 413)).toContain('after decompression');
    expect(await errorOf(await infer('iris', json, 'application/json', { 'content-encoding': 'br' }), 415)).toContain('gzip');
    await errorOf(await infer('iris', json, 'application/json', { 'content-encoding': 'gzip' }), 400);
  });

  it('answers 405 with Allow for a known path and a method it does not take, and 404 for an unknown path', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await fetch(`${baseUrl}/v2/models/iris/infer`, { method });
      expect({ method, status: response.status, allow: response.headers.get('allow') }).toEqual({ method, status: 405, allow: 'POST' });
      expect(await errorOf(response, 405)).toContain(`${method} is not allowed on /v2/models/iris/infer`);
    }
    expect((await fetch(`${baseUrl}/v2/models/iris/nowhere`)).status).toBe(404);
  });
});
