import { parseRequest, RequestValidationError } from '@slipway/observability';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';

/**
 * The JSON body of a model repository request (load, unload), checked against its contract; no body is `{}`. Form
 * content types never get here: the ScopeGuard refuses them on every state-changing route (415).
 * @throws RequestValidationError (400) naming the field, for a body that is not JSON or not the contract's.
 */
export function repositoryRequestBody<T extends z.ZodType>(request: FastifyRequest, schema: T): z.output<T> {
  const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  let body: unknown = {};
  if (bytes.length > 0) {
    try {
      body = JSON.parse(bytes.toString('utf8')) as unknown;
    } catch (error) {
      throw new RequestValidationError(`invalid body: not JSON (${(error as Error).message})`);
    }
  }
  return parseRequest(schema, body, 'body');
}
