import { AliasProtectedError } from './alias-protected.error';
import { AliasProtection, ANONYMOUS_API_ACTOR } from './alias-protection';
import { AuthenticationRequiredError } from './authentication-required.error';

const CI = { name: 'ci', token: 'ci-token-0123456789', rights: ['promote:production'] };
const ADMIN = { name: 'admin', token: 'admin-token-0123456789', rights: ['promote:*'] };
const VIEWER = { name: 'viewer', token: 'viewer-token-0123456789', rights: [] };

describe('AliasProtection', () => {
  const protection = new AliasProtection({ protectedAliases: ['production', 'regulated'], tokens: [CI, ADMIN, VIEWER] });
  const attempt = (alias: string, header: string | undefined) => () => protection.authorize('iris', alias, header);

  it('lets anyone move an unprotected alias, recording the token name when one is sent', () => {
    expect(protection.authorize('iris', 'staging', undefined)).toBe(ANONYMOUS_API_ACTOR);
    expect(protection.authorize('iris', 'staging', `Bearer ${VIEWER.token}`)).toBe('viewer');
  });

  it('asks for a token on a protected alias, naming the alias and the right', () => {
    expect(attempt('production', undefined)).toThrow(AuthenticationRequiredError);
    expect(attempt('production', '  ')).toThrow(/alias "production" of model "iris" is protected.*promote:production/);
  });

  it('refuses a token without the right with a message naming the alias, the token and the right', () => {
    expect(attempt('production', `Bearer ${VIEWER.token}`)).toThrow(AliasProtectedError);
    expect(attempt('regulated', `Bearer ${CI.token}`)).toThrow(/"regulated".*token "ci".*promote:regulated/);
  });

  it('accepts promote:<alias> and promote:*, in any case of the Bearer scheme', () => {
    expect(protection.authorize('iris', 'production', `Bearer ${CI.token}`)).toBe('ci');
    expect(protection.authorize('iris', 'production', `bearer ${ADMIN.token}`)).toBe('admin');
    expect(protection.authorize('iris', 'regulated', `BEARER ${ADMIN.token}`)).toBe('admin');
  });

  it('rejects unknown and malformed tokens even on unprotected aliases, never echoing them', () => {
    expect(attempt('staging', 'Bearer not-a-known-token')).toThrow(AuthenticationRequiredError);
    expect(attempt('staging', 'Bearer not-a-known-token')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('not-a-known-token') }));
    expect(attempt('staging', `Basic ${CI.token}`)).toThrow(/Bearer <token>/);
    expect(attempt('production', `Bearer ${CI.token}x`)).toThrow(AuthenticationRequiredError);
  });

  it('protects nothing when configured with no protected aliases', () => {
    const open = new AliasProtection({ protectedAliases: [], tokens: [] });
    expect(open.isProtected('production')).toBe(false);
    expect(open.authorize('iris', 'production', undefined)).toBe(ANONYMOUS_API_ACTOR);
  });
});
