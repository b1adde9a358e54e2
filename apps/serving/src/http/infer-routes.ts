import { PREDICTION_ID_HEADER, ROUTE_HEADER, SERVED_BY_HEADER } from '@slipway/contracts';
import type { InferenceGateway } from '@slipway/inference';
import type { ErrorResponder } from '@slipway/observability';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inferRequestBody, inferResponseBody } from './infer-body';

type InferRequest = FastifyRequest<{ Params: { model: string; version?: string } }>;

/**
 * `POST /v2/models/{m}[/versions/{v}]/infer` as plain Fastify routes: the hot path skips Nest's per-request
 * pipeline (guards, interceptors, pipes it does not use), which is measurable at thousands of requests per
 * second. Without a version the traffic policy picks the alias (the x-slipway-route header pins one);
 * `/versions/{v}` takes a version number or any alias the replica serves.
 */
export function registerInferRoutes(fastify: FastifyInstance, gateway: InferenceGateway, errors: ErrorResponder): void {
  const handler = async (request: InferRequest, reply: FastifyReply) => {
    try {
      const body = inferRequestBody(request);
      const pinned = request.headers[ROUTE_HEADER];
      const { answer, servedBy, predictionId } = await gateway.inferV2(request.params.model, request.params.version, body, typeof pinned === 'string' ? pinned : undefined);
      void reply.header(SERVED_BY_HEADER, servedBy).header(PREDICTION_ID_HEADER, predictionId);
      return reply.send(inferResponseBody(reply, body, answer));
    } catch (error) {
      return errors.send(reply, error);
    }
  };
  fastify.post('/v2/models/:model/infer', handler);
  fastify.post('/v2/models/:model/versions/:version/infer', handler);
}
