import { API_SCOPES, issueTokenRequestSchema } from '@slipway/contracts';
import { Command } from 'commander';
import { CliError, EXIT } from '../cli.error';
import { jsonOption, printJson, registryClient, registryOption, tokenOption } from '../registry-option';
import { formatTokenTable } from '../token-format';

interface CreateOptions {
  scope: string[];
  expiresInDays?: string;
  registry?: string;
  token?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** API tokens: issued, listed and revoked with an admin token (SLIPWAY_API_TOKEN or --token). */
export function tokensCommand(): Command {
  const tokens = new Command('tokens').description('issue, list and revoke API tokens (needs a token with the scope admin)').exitOverride();
  tokens
    .command('create <name>')
    .description(`issue a token and print its secret, once; scopes: ${Object.keys(API_SCOPES).join(', ')}, promote:<alias>, promote:*`)
    .option('--scope <scope>', 'a scope the token holds (repeat for several)', collect, [])
    .option('--expires-in-days <days>', 'days until it stops working (default: until revoked)')
    .addOption(registryOption())
    .addOption(tokenOption())
    .addOption(jsonOption())
    .action(async (name: string, options: CreateOptions) => {
      const request = { name, scopes: options.scope, ...(options.expiresInDays === undefined ? {} : { expiresInDays: Number(options.expiresInDays) }) };
      const parsed = issueTokenRequestSchema.safeParse(request);
      if (!parsed.success) throw new CliError(`invalid token request — ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; ')}`, EXIT.usage);
      const issued = await registryClient(options.registry, options.token).issueToken(parsed.data);
      if (options.json) printJson(issued);
      else console.log(`issued token "${issued.record.name}" (${issued.record.scopes.join(', ')}); it is shown only now:\n${issued.token}`);
    });
  tokens
    .command('ls')
    .description('every token with its scopes, origin and state (never the secrets)')
    .addOption(registryOption())
    .addOption(tokenOption())
    .addOption(jsonOption())
    .action(async (options: { registry?: string; token?: string; json?: boolean }) => {
      const list = await registryClient(options.registry, options.token).listTokens();
      if (options.json) printJson(list);
      else console.log(formatTokenTable(list));
    });
  tokens
    .command('revoke <name>')
    .description('stop an issued token at once (declared ones are removed from SLIPWAY_API_TOKENS)')
    .addOption(registryOption())
    .addOption(tokenOption())
    .action(async (name: string, options: { registry?: string; token?: string }) => {
      const revoked = await registryClient(options.registry, options.token).revokeToken(name);
      console.log(`revoked token "${revoked.name}" at ${revoked.revokedAt ?? 'an earlier time'}`);
    });
  tokens
    .command('whoami')
    .description('the name and scopes of the token the CLI sends')
    .addOption(registryOption())
    .addOption(tokenOption())
    .action(async (options: { registry?: string; token?: string }) => {
      const principal = await registryClient(options.registry, options.token).whoami();
      console.log(`${principal.name} (${principal.source}): ${principal.scopes.join(', ')}`);
    });
  return tokens;
}
