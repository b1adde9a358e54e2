import { RequestValidationError, type HttpErrorTable } from '@slipway/observability';
import { FeedbackLabelCountError, FeedbackLabelTypeError, UnknownPredictionsError } from '@slipway/platform-metrics';
import { RegistryRelayError } from './registry-relay.error';
import { authHttpErrors } from '@slipway/service-kit';

/** The registry's own 4xx as it gave it (an unknown run stays a 404); a registry that failed or did not answer is a bad gateway. */
const relayedStatus = ({ upstreamStatus }: RegistryRelayError): number =>
  upstreamStatus !== undefined && upstreamStatus >= 400 && upstreamStatus < 500 ? upstreamStatus : 502;

/** How monitoring answers its domain errors over HTTP. */
export const httpErrors: HttpErrorTable = [
  ...authHttpErrors,
  [RequestValidationError, 400],
  [FeedbackLabelCountError, 400],
  [FeedbackLabelTypeError, 400],
  [UnknownPredictionsError, 404],
  [RegistryRelayError, relayedStatus],
];
