import type { Provider } from '@nestjs/common';
import { SERVICE_CONFIG, type ServingConfig } from '@slipway/config';
import type { RequestLimits } from '@slipway/inference';

/** Injection token of serving's per-request limits. */
export const REQUEST_LIMITS = Symbol('REQUEST_LIMITS');

export const requestLimitsProvider: Provider = {
  provide: REQUEST_LIMITS,
  inject: [SERVICE_CONFIG],
  useFactory: (config: ServingConfig): RequestLimits => ({ maxRows: config.SLIPWAY_SERVING_MAX_ROWS, maxElements: config.SLIPWAY_SERVING_MAX_ELEMENTS }),
};
