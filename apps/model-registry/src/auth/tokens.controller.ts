import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { issueTokenRequestSchema, tokenNameSchema, type ApiTokenRecord, type IssuedTokenResponse, type Principal } from '@slipway/contracts';
import { parseRequest } from '@slipway/observability';
import { ApiTokenService } from '@slipway/registry';
import { actorOf, AlwaysRequiresScope, AuthenticationRequiredError, RequestPrincipal } from '@slipway/service-kit';

/**
 * API tokens: issued and revoked by an admin token (even with SLIPWAY_AUTH_WRITES off, since a token is a right to
 * act), listed without their secrets; `whoami` is how serving and monitoring check a token they were sent.
 */
@Controller('api')
export class TokensController {
  constructor(private readonly tokens: ApiTokenService) {}

  @Get('auth/whoami')
  whoami(@RequestPrincipal() principal: Principal | undefined): Principal {
    if (principal === undefined) throw new AuthenticationRequiredError('send Authorization: Bearer <token> to learn who it belongs to');
    return principal;
  }

  @Get('tokens')
  @AlwaysRequiresScope('admin', 'list tokens')
  async list(): Promise<{ tokens: ApiTokenRecord[] }> {
    return { tokens: await this.tokens.list() };
  }

  /** The answer carries the secret, once. */
  @Post('tokens')
  @AlwaysRequiresScope('admin', 'issue tokens')
  @HttpCode(201)
  issue(@Body() body: unknown, @RequestPrincipal() principal: Principal | undefined): Promise<IssuedTokenResponse> {
    return this.tokens.issue(parseRequest(issueTokenRequestSchema, body, 'body'), actorOf(principal));
  }

  @Delete('tokens/:name')
  @AlwaysRequiresScope('admin', 'revoke tokens')
  @HttpCode(200)
  revoke(@Param('name') name: string): Promise<ApiTokenRecord> {
    return this.tokens.revoke(parseRequest(tokenNameSchema, name, 'name'));
  }
}
