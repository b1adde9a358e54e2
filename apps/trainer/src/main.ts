import 'reflect-metadata';
import { loadConfig, trainerConfig } from '@slipway/config';
import { bootstrapService } from '@slipway/observability';
import { AppModule } from './app.module';

const config = loadConfig(trainerConfig);
void bootstrapService(AppModule.withConfig(config), {
  service: trainerConfig.service,
  port: config.PORT,
  host: config.HOST,
  logLevel: config.LOG_LEVEL,
});
