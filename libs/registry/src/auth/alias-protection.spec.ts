import type { Principal } from '@slipway/contracts';
import { AuthenticationRequiredError, MissingScopeError } from '@slipway/service-kit';
import { AliasProtection } from './alias-protection';

const CI: Principal = { name: 'ci', scopes: ['promote:production'], source: 'issued' };
const RELEASER: Principal = { name: 'releaser', scopes: ['promote:*'], source: 'declared' };
const ADMIN: Principal = { name: 'root', scopes: ['admin'], source: 'declared' };
const WRITER: Principal = { name: 'writer', scopes: ['models:write', 'runs:write'], source: 'issued' };

describe('AliasProtection', () => {
  const protection = new AliasProtection({ protectedAliases: ['production', 'regulated'] });

  it('lets anyone move an unprotected alias, recording the principal when there is one', () => {
    expect(protection.authorize('iris', 'staging', undefined)).toBe('api');
    expect(protection.authorize('iris', 'staging', WRITER)).toBe('writer');
  });

  it('asks for a token on a protected alias, naming the alias and the scope', () => {
    expect(() => protection.authorize('iris', 'production', undefined)).toThrow(AuthenticationRequiredError);
    expect(() => protection.authorize('iris', 'production', undefined)).toThrow(/alias "production" of model "iris" is protected.*promote:production/);
  });

  it('refuses a principal without the scope, naming the token, the scope and the alias', () => {
    expect(() => protection.authorize('iris', 'production', WRITER)).toThrow(MissingScopeError);
    expect(() => protection.authorize('iris', 'regulated', CI)).toThrow(/token "ci" lacks the scope promote:regulated.*"regulated" of model "iris"/);
  });

  it('accepts promote:<alias>, promote:* and admin', () => {
    expect(protection.authorize('iris', 'production', CI)).toBe('ci');
    expect(protection.authorize('iris', 'regulated', RELEASER)).toBe('releaser');
    expect(protection.authorize('iris', 'regulated', ADMIN)).toBe('root');
  });

  it('compares names exactly: a differently spelt alias is another alias', () => {
    expect(protection.isProtected('production')).toBe(true);
    expect(protection.isProtected('Production')).toBe(false);
  });

  it('protects nothing when configured with no protected aliases', () => {
    const open = new AliasProtection({ protectedAliases: [] });
    expect(open.authorize('iris', 'production', undefined)).toBe('api');
  });
});
