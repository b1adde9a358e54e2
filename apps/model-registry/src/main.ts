import 'reflect-metadata';
import multipart from '@fastify/multipart';
import { modelRegistryConfig } from '@slipway/config';
import { runService } from '@slipway/observability';
import { AppModule } from './app.module';
import { httpErrors } from './http-errors';

runService(modelRegistryConfig, (config) => AppModule.withConfig(config), {
  httpErrors,
  // Model imports arrive as multipart/form-data; the import routes set their own size limit (SLIPWAY_IMPORT_MAX_BYTES).
  configureFastify: (fastify) => void fastify.register(multipart),
});
