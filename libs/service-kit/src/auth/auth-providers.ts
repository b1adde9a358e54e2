import type { FactoryProvider, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_POLICY, PRINCIPAL_RESOLVER, type AuthPolicy, type PrincipalResolver } from './auth-policy';
import { RouteAccessCheck } from './route-access.check';
import { ScopeGuard } from './scope.guard';

export interface AuthOptions {
  policy: AuthPolicy;
  /** Builds the PRINCIPAL_RESOLVER: the registry's own token store, or a RegistryPrincipalResolver elsewhere. */
  resolver: { inject?: FactoryProvider['inject']; useFactory: (...dependencies: never[]) => PrincipalResolver };
}

/**
 * The ScopeGuard on every route of the service, and the start-up check that every write declares its access. Listed
 * among the app module's own providers (which must import Nest's DiscoveryModule), so the resolver can inject them.
 */
export function authProviders(options: AuthOptions): Provider[] {
  return [
    { provide: AUTH_POLICY, useValue: options.policy },
    { provide: PRINCIPAL_RESOLVER, inject: options.resolver.inject ?? [], useFactory: options.resolver.useFactory },
    { provide: APP_GUARD, useClass: ScopeGuard },
    RouteAccessCheck,
  ];
}
