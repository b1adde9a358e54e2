import { decodeBinaryInferRequest, encodeBinaryInferResponse, INFERENCE_HEADER_CONTENT_LENGTH, requestedBinaryOutputs, type RequestLimits } from '@slipway/inference';
import { InferenceInputError } from '@slipway/model-runtimes';
import type { V2InferResponse } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The request behind an infer call, from the bytes serving read (http/request-bodies.ts): JSON, or Triton's binary
 * tensor form (JSON header + raw tensors, split at Inference-Header-Content-Length, whose values are counted against
 * the element limit before any is decoded).
 */
export function inferRequestBody(request: FastifyRequest, limits: Pick<RequestLimits, 'maxElements'>): unknown {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const headerLength = request.headers[INFERENCE_HEADER_CONTENT_LENGTH];
  if (headerLength !== undefined) return decodeBinaryInferRequest(body, Number(headerLength), limits);
  if (body.length === 0) throw new InferenceInputError('the body is empty; send the inference request as JSON');
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
