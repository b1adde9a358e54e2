import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SERVICE_CONFIG, type ServingConfig } from '@slipway/config';
import { readRequestBody } from '@slipway/inference';
import type { FastifyInstance, FastifyRequest, RawRequestDefaultExpression } from 'fastify';

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(', ') : value);

/**
 * Makes serving read every body itself, whatever its content type (JSON, Triton's binary form as
 * application/octet-stream or without a type): one streaming reader that decompresses gzip and deflate, counts the
 * limit after decompression and reads an oversized body to its end before the 413, so concurrent clients still
 * sending get the answer rather than a reset. Replaces Fastify's parsers and the JSON and form parsers Nest adds at
 * start-up: bodies reach the handlers as Buffers, and a form body is just bytes.
 */
export function readBodiesWithLimit(fastify: FastifyInstance, limit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (request: FastifyRequest, payload: RawRequestDefaultExpression) =>
    readRequestBody(payload, { limit, contentEncoding: header(request.headers['content-encoding']), contentLength: header(request.headers['content-length']) }),
  );
}

/** Installs the reader once Nest has added its parsers (during init, after the routes and before the server listens). */
@Injectable()
export class RequestBodies implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(SERVICE_CONFIG) private readonly config: ServingConfig,
  ) {}

  onModuleInit(): void {
    readBodiesWithLimit(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), this.config.SLIPWAY_SERVING_MAX_BODY_BYTES);
  }
}
