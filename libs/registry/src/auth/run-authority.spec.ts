import { pipelineSpecSchema, type Principal } from '@slipway/contracts';
import { AuthenticationRequiredError, MissingScopeError } from '@slipway/service-kit';
import { pipelineSpecFixture } from '../fixtures/registry-fixtures';
import { runAuthorityWith } from '../fixtures/run-authorities';

const CI: Principal = { name: 'ci', scopes: ['runs:write', 'promote:production'], source: 'issued' };
const SUBMITTER: Principal = { name: 'submitter', scopes: ['runs:write'], source: 'issued' };

describe('RunAuthority', () => {
  const promotingToProduction = pipelineSpecFixture();
  const promotions = promotingToProduction.steps.filter((step) => step.kind === 'promote').map((step) => step.kind === 'promote' && step.params.alias);

  it('the fixture promotes to production (what these cases rely on)', () => {
    expect(promotions).toEqual(['production']);
  });

  it('lets a submitter with promote:production submit, and one without it not, naming the step', () => {
    const authority = runAuthorityWith(['production'], new Map());
    expect(() => authority.assertMayPromote(promotingToProduction, CI, 'submitting')).not.toThrow();
    expect(() => authority.assertMayPromote(promotingToProduction, SUBMITTER, 'submitting')).toThrow(MissingScopeError);
    expect(() => authority.assertMayPromote(promotingToProduction, undefined, 'submitting')).toThrow(/step "promote" promotes to the protected alias "production"/);
  });

  it('needs nothing for a pipeline that promotes to no protected alias', () => {
    const authority = runAuthorityWith(['regulated'], new Map());
    expect(() => authority.assertMayPromote(promotingToProduction, undefined, 'submitting')).not.toThrow();
    const withoutPromote = pipelineSpecSchema.parse({ ...promotingToProduction, steps: promotingToProduction.steps.filter((step) => step.kind !== 'promote') });
    expect(() => runAuthorityWith(['production'], new Map()).assertMayPromote(withoutPromote, undefined, 'submitting')).not.toThrow();
  });

  it('checks the submitter again when the step runs: a revoked token promotes nothing', async () => {
    const principals = new Map([[CI.name, CI]]);
    const authority = runAuthorityWith(['production'], principals);
    await expect(authority.authorizePromotion({ id: 'r1', submittedBy: 'ci' }, 'iris', 'production')).resolves.toBe('run:r1 by ci');
    principals.delete('ci');
    await expect(authority.authorizePromotion({ id: 'r1', submittedBy: 'ci' }, 'iris', 'production')).rejects.toThrow(/token "ci", which has since been revoked/);
    await expect(authority.authorizePromotion({ id: 'r2', submittedBy: null }, 'iris', 'production')).rejects.toThrow(AuthenticationRequiredError);
    await expect(authority.authorizePromotion({ id: 'r2', submittedBy: null }, 'iris', 'staging')).resolves.toBe('run:r2');
  });

  it('checks the scopes the submitter holds now, not those it had', async () => {
    const principals = new Map([[CI.name, { ...CI, scopes: ['runs:write'] }]]);
    const authority = runAuthorityWith(['production'], principals);
    await expect(authority.authorizePromotion({ id: 'r1', submittedBy: 'ci' }, 'iris', 'production')).rejects.toThrow(MissingScopeError);
  });
});
