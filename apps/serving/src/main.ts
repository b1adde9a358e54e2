import 'reflect-metadata';
import { servingConfig } from '@slipway/config';
import { runService } from '@slipway/observability';
import { AppModule } from './app.module';
import { acceptRawInferBodies } from './http/infer-body';
import { httpErrors } from './http-errors';

// Batches of many rows arrive as one body.
const BODY_LIMIT = 16 * 1024 * 1024;

runService(servingConfig, (config) => AppModule.withConfig(config), {
  httpErrors,
  bodyLimit: BODY_LIMIT,
  configureFastify: (fastify) => acceptRawInferBodies(fastify, BODY_LIMIT),
});
