import { ModelNotFoundError, ModelNotReadyError, QueueFullError, RequestBodyError, RequestTooLargeError, UnsupportedMediaTypeError } from '@slipway/inference';
import { InferenceInputError } from '@slipway/model-runtimes';
import { RequestValidationError, type HttpErrorTable } from '@slipway/observability';
import { authHttpErrors } from '@slipway/service-kit';

/** How serving answers its domain errors over HTTP (KServe's and Triton's statuses). */
export const httpErrors: HttpErrorTable = [
  ...authHttpErrors,
  [RequestValidationError, 400],
  [InferenceInputError, 400],
  [RequestBodyError, 400],
  // Over a body, row or element limit: the message names the limit and its variable.
  [RequestTooLargeError, 413],
  // A Content-Encoding it cannot decode, or a form content type on the repository endpoints.
  [UnsupportedMediaTypeError, 415],
  [ModelNotFoundError, 404],
  // With Retry-After (the error's retryAfterSeconds): the client should come back shortly.
  [QueueFullError, 429],
  // A model this replica should serve but has not loaded yet: clients and load balancers retry elsewhere rather than treat it as gone.
  [ModelNotReadyError, 503],
];
