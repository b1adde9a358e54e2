import 'reflect-metadata';
import { loadConfig, modelRegistryConfig } from '@slipway/config';
import { bootstrapService } from '@slipway/observability';
import { RegistryNotFoundError, RunAlreadyExistsError, InvalidRunIdError } from '@slipway/registry';
import { AppModule } from './app.module';

const config = loadConfig(modelRegistryConfig);
void bootstrapService(AppModule.withConfig(config), {
  service: modelRegistryConfig.service,
  port: config.PORT,
  host: config.HOST,
  logLevel: config.LOG_LEVEL,
  errorStatuses: [
    [RegistryNotFoundError, 404],
    [RunAlreadyExistsError, 409],
    [InvalidRunIdError, 400],
  ],
});
