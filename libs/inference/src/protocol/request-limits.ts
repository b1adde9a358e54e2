/** The configuration variables behind serving's per-request limits, named in every message that refuses a request. */
export const LIMIT_VARIABLES = {
  bodyBytes: 'SLIPWAY_SERVING_MAX_BODY_BYTES',
  rows: 'SLIPWAY_SERVING_MAX_ROWS',
  elements: 'SLIPWAY_SERVING_MAX_ELEMENTS',
} as const;

/** What one inference request may hold, checked from the shapes it declares before its values are copied or converted. */
export interface RequestLimits {
  /** Rows (the batch dimension) of one request. @defaultValue 10_000 */
  maxRows: number;
  /** Tensor elements of one request, every input together. @defaultValue 1_000_000 */
  maxElements: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = { maxRows: 10_000, maxElements: 1_000_000 };
