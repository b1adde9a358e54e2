import type { DynamicModule, INestApplication, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { createServiceLogger } from '../logging/service-logger';
import { isTracingEnabled } from '../tracing/tracing';
import { ErrorResponseFilter } from './error-response.filter';
import type { HttpErrorTable } from './http-error-table';

export interface ServiceBootstrapOptions {
  service: string;
  port: number;
  host: string;
  logLevel: LogLevel;
  /** The service's domain errors and their HTTP statuses (its `src/http-errors.ts`). */
  httpErrors: HttpErrorTable;
  /** Largest request body accepted, in bytes. @defaultValue 1 MiB */
  bodyLimit?: number;
  /** Adjusts the Fastify instance before it listens (content-type parsers, raw routes). */
  configureFastify?: (fastify: FastifyInstance) => void;
}

/**
 * Starts a Nest service on Fastify with JSON logs, the shared error shape and graceful shutdown on SIGTERM/SIGINT;
 * with a span per HTTP request when tracing was started before.
 */
export async function bootstrapService(module: Type<unknown> | DynamicModule, options: ServiceBootstrapOptions): Promise<INestApplication> {
  const logger = createServiceLogger(options.service, options.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({ bodyLimit: options.bodyLimit ?? 1024 * 1024 }),
    { logger, bufferLogs: true },
  );
  app.useGlobalFilters(new ErrorResponseFilter(options.httpErrors));
  const fastify: FastifyInstance = app.getHttpAdapter().getInstance();
  if (isTracingEnabled()) {
    // Loaded only when tracing is on, like the SDK it uses.
    const { traceHttpRequests } = await import('../tracing/http-request-tracing');
    traceHttpRequests(fastify);
  }
  options.configureFastify?.(fastify);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(options.port, options.host);
  logger.log({ event: 'service.listening', url: await app.getUrl() });
  return app;
}
