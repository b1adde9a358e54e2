import 'reflect-metadata';
import { trainerConfig } from '@slipway/config';
import { runService } from '@slipway/observability';
import { AppModule } from './app.module';
import { httpErrors } from './http-errors';

runService(trainerConfig, (config) => AppModule.withConfig(config), { httpErrors });
