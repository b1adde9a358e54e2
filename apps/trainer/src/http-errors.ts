import type { HttpErrorTable } from '@slipway/observability';

/** trainer serves only health, readiness and metrics over HTTP: none of its domain errors reaches a client. */
export const httpErrors: HttpErrorTable = [];
