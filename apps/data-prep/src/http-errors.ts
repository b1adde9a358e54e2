import type { HttpErrorTable } from '@slipway/observability';

/** data-prep serves only health, readiness and metrics over HTTP: none of its domain errors reaches a client. */
export const httpErrors: HttpErrorTable = [];
