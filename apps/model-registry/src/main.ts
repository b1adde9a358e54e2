import 'reflect-metadata';
import { modelRegistryConfig } from '@slipway/config';
import { runService } from '@slipway/observability';
import { InvalidRunIdError, RegistryNotFoundError, RunAlreadyExistsError } from '@slipway/registry';
import { AppModule } from './app.module';

runService(modelRegistryConfig, (config) => AppModule.withConfig(config), {
  errorStatuses: [
    [RegistryNotFoundError, 404],
    [RunAlreadyExistsError, 409],
    [InvalidRunIdError, 400],
  ],
});
