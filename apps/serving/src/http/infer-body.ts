import { decodeBinaryInferRequest, encodeBinaryInferResponse, INFERENCE_HEADER_CONTENT_LENGTH, requestedBinaryOutputs } from '@slipway/inference';
import { InferenceInputError } from '@slipway/model-runtimes';
import type { V2InferResponse } from '@slipway/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The V2 request behind an infer call: JSON (parsed by Fastify, or raw bytes sent as application/octet-stream or
 * without a content type) or Triton's binary tensor form (JSON header + raw tensors, split at
 * Inference-Header-Content-Length).
 */
export function inferRequestBody(request: FastifyRequest): unknown {
  const { body } = request;
  if (!Buffer.isBuffer(body)) return body;
  const headerLength = request.headers[INFERENCE_HEADER_CONTENT_LENGTH];
  if (headerLength !== undefined) return decodeBinaryInferRequest(body, Number(headerLength));
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new InferenceInputError(`body is not JSON and has no Inference-Header-Content-Length header: ${(error as Error).message}`);
  }
}

/** JSON, or the binary form when the request asked for any output as binary_data. */
export function inferResponseBody(reply: FastifyReply, requestBody: unknown, response: V2InferResponse): V2InferResponse | Buffer {
  const binary = requestedBinaryOutputs(requestBody, response.outputs.map((output) => output.name));
  if (binary.size === 0) return response;
  const { body, headerLength } = encodeBinaryInferResponse(response, binary);
  void reply.header(INFERENCE_HEADER_CONTENT_LENGTH, String(headerLength)).header('content-type', 'application/octet-stream');
  return body;
}

/** Infer routes accept `application/octet-stream` and bodies without a content type (tritonclient's binary requests). */
export function acceptRawInferBodies(fastify: FastifyInstance, bodyLimit: number): void {
  const keepBytes = (_request: FastifyRequest, body: Buffer, done: (error: null, body: Buffer) => void) => done(null, body);
  fastify.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit }, keepBytes);
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, keepBytes);
}
