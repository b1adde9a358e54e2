import { ModelFormatError } from '@slipway/model-runtimes';
import { RequestValidationError, type HttpErrorTable } from '@slipway/observability';
import {
  DeclaredTokenError,
  IdempotencyKeyReusedError,
  InvalidRunIdError,
  ModelImportError,
  PipelineSubmissionError,
  QueueUnavailableError,
  RegistryNotFoundError,
  RunAlreadyExistsError,
  RunNotResumableError,
  RunParamConflictError,
  ScheduleAlreadyExistsError,
  StepQueueUnavailableError,
  TokenNameTakenError,
  TritonRepositoryError,
  UnknownStepError,
} from '@slipway/registry';
import { authHttpErrors } from '@slipway/service-kit';
import { ArtifactNotFoundError } from '@slipway/storage';

/** How the registry answers its domain errors over HTTP. */
export const httpErrors: HttpErrorTable = [
  [RequestValidationError, 400],
  [RegistryNotFoundError, 404],
  [RunAlreadyExistsError, 409],
  [InvalidRunIdError, 400],
  [PipelineSubmissionError, 400],
  [RunNotResumableError, 409],
  [UnknownStepError, 404],
  [RunParamConflictError, 409],
  [ScheduleAlreadyExistsError, 409],
  ...authHttpErrors,
  [TokenNameTakenError, 409],
  [DeclaredTokenError, 409],
  [IdempotencyKeyReusedError, 422],
  // Uploaded files that are not a model Slipway can import (or serve), and Triton repositories that do not check out.
  [ModelImportError, 400],
  [ModelFormatError, 400],
  [TritonRepositoryError, 400],
  // The version exists but the transform its signature is read from is not in SLIPWAY_ARTIFACTS.
  [ArtifactNotFoundError, 404],
  // Redis did not answer before the run was recorded: nothing was recorded (Retry-After says when to try again).
  [QueueUnavailableError, 503],
  // The run is recorded (and failed, so it can be resumed) but Redis did not take its steps.
  [StepQueueUnavailableError, 503],
];
