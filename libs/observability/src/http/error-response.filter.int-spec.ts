import { Body, Controller, Get, NotFoundException, Param, Post, type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { ErrorResponseFilter } from './error-response.filter';
import { parseRequest } from './parse-request';
import { RequestValidationError } from './request-validation.error';

class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';
  constructor(readonly model: string) {
    super(`model "${model}" is not registered`);
  }
}

// Exactly the media type, with no charset parameter: strict Open Inference Protocol clients compare it verbatim.
const JSON_MEDIA_TYPE = /^application\/json$/;

const SECRET_DETAIL = 'password=hunter2 at /srv/slipway/secret.ts';

/** Carries the status of the service it relays, as data. */
class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(readonly upstreamStatus: number) {
    super(`upstream answered ${upstreamStatus}`);
  }
}

class BusyError extends Error {
  override readonly name = 'BusyError';
  readonly retryAfterSeconds = 3;
}

const createModelSchema = z.object({ name: z.string().min(1), replicas: z.number().int().min(1) });

@Controller('models')
class ModelsTestController {
  @Post()
  create(@Body() body: unknown): { created: string } {
    return { created: parseRequest(createModelSchema, body, 'body').name };
  }

  @Get('crash')
  crash(): never {
    throw new Error(SECRET_DETAIL);
  }

  @Get('declares-status')
  declaresStatus(): never {
    throw Object.assign(new Error('claims to be a 404'), { statusCode: 404 });
  }

  @Get('upstream/:status')
  upstream(@Param('status') status: string): never {
    throw new UpstreamError(Number(status));
  }

  @Get('busy')
  busy(): never {
    throw new BusyError('queue full');
  }

  @Get('gone')
  gone(): never {
    throw new NotFoundException('this model was deleted');
  }

  @Get(':name')
  find(@Param('name') name: string): never {
    throw new ModelNotFoundError(name);
  }
}

describe('ErrorResponseFilter and parseRequest over real HTTP', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ModelsTestController] }).compile();
    app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    app.useGlobalFilters(
      new ErrorResponseFilter([
        [RequestValidationError, 400],
        [ModelNotFoundError, 404],
        [UpstreamError, (error: UpstreamError) => (error.upstreamStatus < 500 ? error.upstreamStatus : 502)],
        [BusyError, 429],
      ]),
    );
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  const postJson = (path: string, body: unknown): Promise<Response> =>
    fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  async function expectErrorResponse(response: Response, status: number): Promise<string> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(JSON_MEDIA_TYPE);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['error']);
    expect(typeof body['error']).toBe('string');
    return body['error'] as string;
  }

  it('answers a valid request normally', async () => {
    const response = await postJson('/models', { name: 'iris', replicas: 2 });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ created: 'iris' });
  });

  it('answers 400 naming every invalid field of the body', async () => {
    const error = await expectErrorResponse(await postJson('/models', { name: 'iris', replicas: 0 }), 400);
    expect(error).toContain('body.replicas');
    const both = await expectErrorResponse(await postJson('/models', { replicas: 'two' }), 400);
    expect(both).toContain('body.name');
    expect(both).toContain('body.replicas');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await fetch(`${baseUrl}/models`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    await expectErrorResponse(response, 400);
  });

  it('maps a domain error class to its status with the error message', async () => {
    const error = await expectErrorResponse(await fetch(`${baseUrl}/models/penguins`), 404);
    expect(error).toContain('penguins');
  });

  it('reads the status off the error when its row is a function of the error', async () => {
    expect(await expectErrorResponse(await fetch(`${baseUrl}/models/upstream/409`), 409)).toBe('upstream answered 409');
    expect((await fetch(`${baseUrl}/models/upstream/503`)).status).toBe(502);
  });

  it('keeps the message of a 5xx error the table names: a known condition the caller is meant to read', async () => {
    expect(await expectErrorResponse(await fetch(`${baseUrl}/models/upstream/503`), 502)).toBe('upstream answered 503');
  });

  it("sends Retry-After when the error says when to retry", async () => {
    const response = await fetch(`${baseUrl}/models/busy`);
    await expectErrorResponse(response, 429);
    expect(response.headers.get('retry-after')).toBe('3');
  });

  it('takes no status from the error itself: an error the table does not name is a 500', async () => {
    const response = await fetch(`${baseUrl}/models/declares-status`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'internal error' });
  });

  it('keeps the status and message of a Nest HttpException', async () => {
    const error = await expectErrorResponse(await fetch(`${baseUrl}/models/gone`), 404);
    expect(error).toContain('this model was deleted');
  });

  it('answers an unknown route in the same shape', async () => {
    await expectErrorResponse(await fetch(`${baseUrl}/no/such/route`), 404);
  });

  it('answers 500 "internal error" for an unexpected error, leaking neither message nor stack', async () => {
    const response = await fetch(`${baseUrl}/models/crash`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toMatch(JSON_MEDIA_TYPE);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: 'internal error' });
    expect(text).not.toContain('hunter2');
  });
});
