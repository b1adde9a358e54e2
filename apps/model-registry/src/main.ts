import 'reflect-metadata';
import { modelRegistryConfig } from '@slipway/config';
import { runService } from '@slipway/observability';
import {
  AliasProtectedError,
  AuthenticationRequiredError,
  InvalidRunIdError,
  PipelineSubmissionError,
  RegistryNotFoundError,
  RunAlreadyExistsError,
  RunNotResumableError,
  RunParamConflictError,
  ScheduleAlreadyExistsError,
  UnknownStepError,
} from '@slipway/registry';
import { ArtifactNotFoundError } from '@slipway/storage';
import { AppModule } from './app.module';

runService(modelRegistryConfig, (config) => AppModule.withConfig(config), {
  errorStatuses: [
    [RegistryNotFoundError, 404],
    [RunAlreadyExistsError, 409],
    [InvalidRunIdError, 400],
    [PipelineSubmissionError, 400],
    [RunNotResumableError, 409],
    [UnknownStepError, 404],
    [RunParamConflictError, 409],
    [ScheduleAlreadyExistsError, 409],
    [AuthenticationRequiredError, 401],
    [AliasProtectedError, 403],
    // The version exists but the transform its signature is read from is not in SLIPWAY_ARTIFACTS.
    [ArtifactNotFoundError, 404],
  ],
});
