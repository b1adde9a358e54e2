import { grantsScope, promoteScope, type PipelineSpec, type Principal } from '@slipway/contracts';
import { AuthenticationRequiredError, MissingScopeError } from '@slipway/service-kit';
import type { AliasProtection } from './alias-protection';

/** Finds a principal by name as it stands now (ApiTokenService does). */
export interface PrincipalDirectory {
  /** undefined when the token was revoked, expired or is gone */
  principalNamed(name: string): Promise<Principal | undefined>;
}

/**
 * Runs and schedules act with the scopes of the token that submitted them: a promote step to a protected alias needs
 * `promote:<alias>` when the run is submitted (or the schedule created), and again, as the token stands then, when the
 * step runs — a token revoked in between promotes nothing.
 */
export class RunAuthority {
  constructor(
    private readonly protection: AliasProtection,
    private readonly directory: PrincipalDirectory,
  ) {}

  /**
   * @param action what is being done, for the error ("submit the run", "create the schedule")
   * @throws AuthenticationRequiredError, MissingScopeError naming the promote step and the alias
   */
  assertMayPromote(pipeline: PipelineSpec, submitter: Principal | undefined, action: string): void {
    for (const step of pipeline.steps) {
      if (step.kind !== 'promote' || !this.protection.isProtected(step.params.alias)) continue;
      const scope = promoteScope(step.params.alias);
      const why = `${action}: its step "${step.name}" promotes to the protected alias "${step.params.alias}"`;
      if (submitter === undefined) throw new AuthenticationRequiredError(`${why}; send Authorization: Bearer <token> with the scope ${scope}`);
      if (!grantsScope(submitter.scopes, scope)) throw new MissingScopeError(submitter.name, scope, why);
    }
  }

  /**
   * Decides, when a run's promote step runs, whether it may move the alias.
   * @returns the actor for the alias audit log: `run:<id>`, with the submitting token's name when there was one
   * @throws AuthenticationRequiredError, MissingScopeError when the submitter (as it stands now) may not
   */
  async authorizePromotion(run: { id: string; submittedBy: string | null }, model: string, alias: string): Promise<string> {
    const actor = run.submittedBy === null ? `run:${run.id}` : `run:${run.id} by ${run.submittedBy}`;
    if (!this.protection.isProtected(alias)) return actor;
    const submitter = run.submittedBy === null ? undefined : await this.directory.principalNamed(run.submittedBy);
    if (run.submittedBy?.startsWith('oidc:') && submitter === undefined) {
      throw new AuthenticationRequiredError(`run "${run.id}" was submitted with an identity-provider token ("${run.submittedBy}"), which cannot be checked again when it promotes; promotions to the protected alias "${alias}" need a registry token`);
    }
    if (run.submittedBy !== null && submitter === undefined) {
      throw new AuthenticationRequiredError(`run "${run.id}" was submitted by token "${run.submittedBy}", which has since been revoked or expired, so it cannot promote to the protected alias "${alias}"`);
    }
    this.protection.authorize(model, alias, submitter);
    return actor;
  }
}
