import type { HttpErrorTable } from '@slipway/observability';
import { AuthUnavailableError } from './auth-unavailable.error';
import { AuthenticationRequiredError } from './authentication-required.error';
import { FormContentTypeError } from './form-content-type.error';
import { MissingScopeError } from './missing-scope.error';

/** How every service answers the guard's refusals; spread into each app's `http-errors.ts`. */
export const authHttpErrors: HttpErrorTable = [
  [AuthenticationRequiredError, 401],
  [MissingScopeError, 403],
  [FormContentTypeError, 415],
  [AuthUnavailableError, 503],
];
