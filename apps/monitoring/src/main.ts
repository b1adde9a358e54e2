import 'reflect-metadata';
import { loadConfig, monitoringConfig } from '@slipway/config';
import { bootstrapService } from '@slipway/observability';
import { AppModule } from './app.module';

const config = loadConfig(monitoringConfig);
void bootstrapService(AppModule.withConfig(config), {
  service: monitoringConfig.service,
  port: config.PORT,
  host: config.HOST,
  logLevel: config.LOG_LEVEL,
});
