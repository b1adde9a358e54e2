import 'reflect-metadata';
import { loadConfig, servingConfig } from '@slipway/config';
import { bootstrapService } from '@slipway/observability';
import { AppModule } from './app.module';

const config = loadConfig(servingConfig);
void bootstrapService(AppModule.withConfig(config), {
  service: servingConfig.service,
  port: config.PORT,
  host: config.HOST,
  logLevel: config.LOG_LEVEL,
  bodyLimit: 16 * 1024 * 1024,
});
