import 'reflect-metadata';
import { dataPrepConfig } from '@slipway/config';
import { runService } from '@slipway/observability';
import { AppModule } from './app.module';
import { httpErrors } from './http-errors';

runService(dataPrepConfig, (config) => AppModule.withConfig(config), { httpErrors });
