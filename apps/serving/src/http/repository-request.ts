import { UnsupportedMediaTypeError } from '@slipway/inference';
import { parseRequest, RequestValidationError } from '@slipway/observability';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';

/** What an HTML form (or a no-cors fetch) may send to another site without a CORS preflight. */
const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * The JSON body of a model repository request (load, unload), checked against its contract; no body is `{}`.
 * Refuses the content types a cross-site form can send, so a page in a browser cannot unload a model.
 * @throws UnsupportedMediaTypeError (415) for a form content type.
 * @throws RequestValidationError (400) naming the field, for a body that is not JSON or not the contract's.
 */
export function repositoryRequestBody<T extends z.ZodType>(request: FastifyRequest, schema: T): z.output<T> {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (FORM_CONTENT_TYPES.includes(contentType)) {
    throw new UnsupportedMediaTypeError(`the model repository takes a JSON body (application/json, or none), not ${contentType}`);
  }
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
