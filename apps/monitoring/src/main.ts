import 'reflect-metadata';
import { monitoringConfig } from '@slipway/config';
import { runService } from '@slipway/observability';
import { AppModule } from './app.module';
import { httpErrors } from './http-errors';

runService(monitoringConfig, (config) => AppModule.withConfig(config), { httpErrors });
