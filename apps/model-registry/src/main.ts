import 'reflect-metadata';
import { modelRegistryConfig } from '@slipway/config';
import { runService } from '@slipway/observability';
import { AppModule } from './app.module';
import { httpErrors } from './http-errors';

runService(modelRegistryConfig, (config) => AppModule.withConfig(config), { httpErrors });
