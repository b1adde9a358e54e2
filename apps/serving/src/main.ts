import 'reflect-metadata';
import { servingConfig } from '@slipway/config';
import { InferenceGateway } from '@slipway/inference';
import { ErrorResponder, runService } from '@slipway/observability';
import { AppModule } from './app.module';
import { acceptRawInferBodies } from './http/infer-body';
import { registerInferRoutes } from './http/infer-routes';

// Batches of many rows arrive as one body.
const BODY_LIMIT = 16 * 1024 * 1024;

runService(servingConfig, (config) => AppModule.withConfig(config), {
  bodyLimit: BODY_LIMIT,
  configureFastify: (fastify, app) => {
    acceptRawInferBodies(fastify, BODY_LIMIT);
    registerInferRoutes(fastify, app.get(InferenceGateway), new ErrorResponder());
  },
});
