import 'reflect-metadata';
import { servingConfig } from '@slipway/config';
import { runService } from '@slipway/observability';
import { AppModule } from './app.module';
import { answerWrongMethods } from './http/method-not-allowed';
import { httpErrors } from './http-errors';

// Request bodies are read by http/request-bodies.ts, with SLIPWAY_SERVING_MAX_BODY_BYTES as their limit.
runService(servingConfig, (config) => AppModule.withConfig(config), { httpErrors, configureFastify: answerWrongMethods });
