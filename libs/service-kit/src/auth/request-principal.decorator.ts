import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@slipway/contracts';
import { PRINCIPAL_OF_REQUEST, type AuthenticatedRequest } from './scope.guard';

/** The token's principal the ScopeGuard identified, or undefined for a request without a token. */
export const RequestPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal | undefined => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>()[PRINCIPAL_OF_REQUEST];
});
