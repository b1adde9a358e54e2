import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { grantsScope, UPLOAD_CLIENT_HEADER, type ApiScope, type Principal } from '@slipway/contracts';
import type { FastifyRequest } from 'fastify';
import { AUTH_POLICY, PRINCIPAL_RESOLVER, type AuthPolicy, type PrincipalResolver } from './auth-policy';
import { AuthenticationRequiredError } from './authentication-required.error';
import { FormContentTypeError } from './form-content-type.error';
import { MissingScopeError } from './missing-scope.error';
import { ACCEPTS_UPLOAD, ROUTE_ACCESS, type RouteAccess } from './route-access';

/** The principal the guard found on the request, for handlers that record who acted (see RequestPrincipal). */
export const PRINCIPAL_OF_REQUEST = Symbol('slipway:principal');
export type AuthenticatedRequest = FastifyRequest & { [PRINCIPAL_OF_REQUEST]?: Principal };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// The content types an HTML form (or a "simple" cross-site fetch) can send without a CORS preflight.
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * One guard per service: identifies the bearer token when one is sent (an unknown one is always 401), refuses form
 * content types on every request that changes state (inference changes none, and takes any content type, as
 * `curl -d` sends), and asks for the scope the route declares when the policy says so.
 */
@Injectable()
export class ScopeGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_POLICY) private readonly policy: AuthPolicy,
    @Inject(PRINCIPAL_RESOLVER) private readonly resolver: PrincipalResolver,
  ) {}

  /** Synchronous without an Authorization header, the common case of inference: no promise on the hot path. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const access = this.reflector.get<RouteAccess | undefined>(ROUTE_ACCESS, context.getHandler());
    const changesState = !SAFE_METHODS.has(request.method);
    if (changesState && access?.kind !== 'inference') this.refuseFormPosts(request, this.reflector.get<boolean | undefined>(ACCEPTS_UPLOAD, context.getHandler()) === true);
    const needed = this.neededScope(request, access, changesState);
    const { authorization } = request.headers;
    if (authorization === undefined || authorization.trim() === '') return this.authorize(needed, undefined);
    return this.resolver.identify(authorization).then((principal) => {
      if (principal !== undefined) request[PRINCIPAL_OF_REQUEST] = principal;
      return this.authorize(needed, principal);
    });
  }

  private authorize(needed: { scope?: ApiScope; action: string } | undefined, principal: Principal | undefined): boolean {
    if (needed === undefined) return true;
    if (principal === undefined) throw new AuthenticationRequiredError(`${needed.action} needs Authorization: Bearer <token>${needed.scope ? ` with the scope ${needed.scope}` : ''}`);
    if (needed.scope !== undefined && !grantsScope(principal.scopes, needed.scope)) throw new MissingScopeError(principal.name, needed.scope, needed.action);
    return true;
  }

  /** The scope the request needs (undefined scope: any valid token), or undefined when it needs no token. */
  private neededScope(request: FastifyRequest, access: RouteAccess | undefined, changesState: boolean): { scope?: ApiScope; action: string } | undefined {
    if (access?.kind === 'scope') return this.policy.writes || access.always ? { scope: access.scope, action: access.action } : undefined;
    if (access?.kind === 'inference') return this.policy.infer ? { scope: 'infer', action: 'call inference endpoints' } : undefined;
    if (!changesState && this.policy.reads && request.url.startsWith('/api/')) return { action: `reading ${request.url.split('?')[0]}` };
    return undefined;
  }

  private refuseFormPosts(request: FastifyRequest, acceptsUpload: boolean): void {
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!FORM_TYPES.includes(contentType)) return;
    if (acceptsUpload && contentType === 'multipart/form-data' && request.headers[UPLOAD_CLIENT_HEADER] !== undefined) return;
    const path = request.url.split('?')[0];
    if (acceptsUpload && contentType === 'multipart/form-data') {
      throw new FormContentTypeError(`${contentType} without the ${UPLOAD_CLIENT_HEADER} header`, request.method, path);
    }
    throw new FormContentTypeError(contentType, request.method, path);
  }
}
