import 'reflect-metadata';
import { dataPrepConfig, loadConfig } from '@slipway/config';
import { bootstrapService } from '@slipway/observability';
import { AppModule } from './app.module';

const config = loadConfig(dataPrepConfig);
void bootstrapService(AppModule.withConfig(config), {
  service: dataPrepConfig.service,
  port: config.PORT,
  host: config.HOST,
  logLevel: config.LOG_LEVEL,
});
