import { grantsScope, promoteScope, type Principal } from '@slipway/contracts';
import { actorOf, AuthenticationRequiredError, MissingScopeError } from '@slipway/service-kit';

export interface AliasProtectionOptions {
  /** Aliases only a token with `promote:<alias>` (or `promote:*`, or `admin`) may move or delete (SLIPWAY_PROTECTED_ALIASES). */
  protectedAliases: readonly string[];
}

/**
 * Who may move or delete which alias. Protection holds whether or not writes need tokens (SLIPWAY_AUTH_WRITES): a
 * protected alias always needs its promote scope, over REST, through an import and from a run's promote step.
 * Alias names are validated before they get here (ALIAS_NAME), so the comparison is exact.
 */
export class AliasProtection {
  private readonly protectedAliases: ReadonlySet<string>;

  constructor(options: AliasProtectionOptions) {
    this.protectedAliases = new Set(options.protectedAliases);
  }

  isProtected(alias: string): boolean {
    return this.protectedAliases.has(alias);
  }

  /**
   * @returns the actor for the audit log: the principal's name, or `api` without one
   * @throws AuthenticationRequiredError (401) without a principal on a protected alias; MissingScopeError (403) when
   *   the principal lacks `promote:<alias>`
   */
  authorize(model: string, alias: string, principal: Principal | undefined): string {
    if (!this.isProtected(alias)) return actorOf(principal);
    const scope = promoteScope(alias);
    if (principal === undefined) {
      throw new AuthenticationRequiredError(`alias "${alias}" of model "${model}" is protected: send Authorization: Bearer <token> with the scope ${scope}`);
    }
    if (!grantsScope(principal.scopes, scope)) throw new MissingScopeError(principal.name, scope, `move or delete the protected alias "${alias}" of model "${model}"`);
    return principal.name;
  }
}
