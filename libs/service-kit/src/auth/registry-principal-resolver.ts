import { createHash } from 'node:crypto';
import { principalSchema, type Principal } from '@slipway/contracts';
import { AuthUnavailableError } from './auth-unavailable.error';
import { AuthenticationRequiredError } from './authentication-required.error';
import type { PrincipalResolver } from './auth-policy';
import { bearerTokenOf } from './bearer-token';

export interface RegistryPrincipalResolverOptions {
  registryUrl: string;
  /**
   * How long an answer is reused: a revoked token keeps working here for at most this long.
   * @defaultValue 30 000 ms
   */
  cacheMs?: number;
  /** @defaultValue 3 000 ms */
  timeoutMs?: number;
  /** @defaultValue Date.now */
  now?: () => number;
}

type CachedAnswer = { principal: Principal } | { refused: string };

const MAX_CACHED = 10_000;

/**
 * Serving and monitoring hold no tokens: they ask the registry (GET /api/auth/whoami) who a token belongs to, and
 * keep the answer briefly, so a burst of requests costs one call and a flood of bad tokens cannot flood the registry.
 */
export class RegistryPrincipalResolver implements PrincipalResolver {
  private readonly cache = new Map<string, { answer: CachedAnswer; until: number }>();
  private readonly cacheMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RegistryPrincipalResolverOptions) {
    this.cacheMs = options.cacheMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.now = options.now ?? Date.now;
  }

  async identify(authorization: string | undefined): Promise<Principal | undefined> {
    const token = bearerTokenOf(authorization);
    if (token === undefined) return undefined;
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = this.cache.get(key);
    const answer = cached !== undefined && cached.until > this.now() ? cached.answer : await this.ask(key, token);
    if ('refused' in answer) throw new AuthenticationRequiredError(answer.refused);
    return answer.principal;
  }

  private async ask(key: string, token: string): Promise<CachedAnswer> {
    const url = new URL('/api/auth/whoami', this.options.registryUrl);
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new AuthUnavailableError(`the model-registry at ${url.origin} could not check the bearer token: ${(error as Error).message}`);
    }
    if (response.status !== 200 && response.status !== 401) {
      throw new AuthUnavailableError(`the model-registry at ${url.origin} answered ${response.status} when asked about the bearer token`);
    }
    const body = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
    const answer: CachedAnswer =
      response.status === 200 ? { principal: principalSchema.parse(body) } : { refused: typeof body?.error === 'string' ? body.error : 'the bearer token is not valid' };
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(key, { answer, until: this.now() + this.cacheMs });
    return answer;
  }
}
