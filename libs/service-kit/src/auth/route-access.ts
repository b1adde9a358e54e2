import { SetMetadata } from '@nestjs/common';
import type { ApiScope } from '@slipway/contracts';

/** What a route needs, read by the ScopeGuard. Every state-changing route declares one (checked at start-up). */
export type RouteAccess =
  | { kind: 'scope'; scope: ApiScope; action: string; always: boolean }
  | { kind: 'inference' }
  | { kind: 'open'; reason: string };

export const ROUTE_ACCESS = 'slipway:route-access';
/** Routes that take multipart uploads: the only state-changing routes that accept a form content type. */
export const ACCEPTS_UPLOAD = 'slipway:accepts-upload';

/**
 * The route changes state that only a token with `scope` may change (when SLIPWAY_AUTH_WRITES is on).
 * @param action what the route does, for the 403 message ("submit runs")
 */
export const RequiresScope = (scope: ApiScope, action: string) => SetMetadata(ROUTE_ACCESS, { kind: 'scope', scope, action, always: false } satisfies RouteAccess);

/** The route needs a token with `scope` whatever SLIPWAY_AUTH_WRITES says (managing tokens, say). */
export const AlwaysRequiresScope = (scope: ApiScope, action: string) => SetMetadata(ROUTE_ACCESS, { kind: 'scope', scope, action, always: true } satisfies RouteAccess);

/** An inference route: open unless SLIPWAY_AUTH_INFER is on, then it needs the `infer` scope. */
export const InferenceRoute = () => SetMetadata(ROUTE_ACCESS, { kind: 'inference' } satisfies RouteAccess);

/** A state-changing route anyone may call; the reason says why that is safe. */
export const OpenRoute = (reason: string) => SetMetadata(ROUTE_ACCESS, { kind: 'open', reason } satisfies RouteAccess);

/** The route takes a multipart upload, which then must carry UPLOAD_CLIENT_HEADER (a form cannot send it). */
export const AcceptsUpload = () => SetMetadata(ACCEPTS_UPLOAD, true);
