import { Controller, HttpCode, Param, Post, Req, type INestApplication } from '@nestjs/common';
import { ModelNotFoundError, ModelNotReadyError, QueueFullError } from '@slipway/inference';
import { InferenceInputError } from '@slipway/model-runtimes';
import { bootstrapService } from '@slipway/observability';
import type { FastifyRequest } from 'fastify';
import { acceptRawInferBodies, inferRequestBody } from './http/infer-body';
import { httpErrors } from './http-errors';

const BODY_LIMIT = 1024;

/** An infer route that reads its body the way serving's do, then fails as the model named says. */
@Controller('v2/models/:model')
class FailingInferController {
  @Post('infer')
  @HttpCode(200)
  infer(@Param('model') model: string, @Req() request: FastifyRequest): unknown {
    const body = inferRequestBody(request);
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
      { module: class ErrorsModule {}, controllers: [FailingInferController] },
      { service: 'serving', port: 0, host: '127.0.0.1', logLevel: 'fatal', httpErrors, bodyLimit: BODY_LIMIT, configureFastify: (fastify) => acceptRawInferBodies(fastify, BODY_LIMIT) },
    );
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Bytes, so that fetch adds no content type of its own when none is given. */
  const infer = (model: string, body: string, contentType?: string): Promise<Response> =>
    fetch(`${baseUrl}/v2/models/${model}/infer`, { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body: Buffer.from(body) });

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

  it('answers 413 for a body over the limit, on the JSON parser and on the raw one', async () => {
    const large = `{"pad":"${'x'.repeat(BODY_LIMIT)}"}`;
    await errorOf(await infer('iris', large, 'application/json'), 413);
    await errorOf(await infer('iris', large, 'application/octet-stream'), 413);
    await errorOf(await infer('iris', large), 413);
  });
});
