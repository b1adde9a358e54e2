import type { Principal } from '@slipway/contracts';

/** Which requests need a token, from the service's configuration. */
export interface AuthPolicy {
  /** Every state-changing request needs a token with the route's scope (SLIPWAY_AUTH_WRITES). */
  writes: boolean;
  /** GET requests under /api/ need a valid token (SLIPWAY_AUTH_READS). */
  reads: boolean;
  /** Inference routes need a token with the `infer` scope (SLIPWAY_AUTH_INFER). */
  infer: boolean;
}

/** Tells who a bearer token belongs to. */
export interface PrincipalResolver {
  /**
   * @param authorization the request's Authorization header
   * @returns undefined without a header
   * @throws AuthenticationRequiredError for a malformed, unknown, revoked or expired token
   */
  identify(authorization: string | undefined): Promise<Principal | undefined>;
}

export const AUTH_POLICY = Symbol('AUTH_POLICY');
export const PRINCIPAL_RESOLVER = Symbol('PRINCIPAL_RESOLVER');

/** The actor recorded for changes made without a token (auth off). */
export const ANONYMOUS_ACTOR = 'api';

export const actorOf = (principal: Principal | undefined): string => principal?.name ?? ANONYMOUS_ACTOR;
