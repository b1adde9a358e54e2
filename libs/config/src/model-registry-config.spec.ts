import { loadConfig } from './load-config';
import { modelRegistryConfig, testHarnessConfig } from './service-configs';

describe('modelRegistryConfig', () => {
  const tokens = [{ name: 'ci', token: 'ci-token-0123456789', scopes: ['promote:production', 'promote:*'] }];

  it('protects production, asks for tokens on writes and knows no tokens by default', () => {
    const config = loadConfig(modelRegistryConfig, {});
    expect(config.SLIPWAY_PROTECTED_ALIASES).toEqual(['production']);
    expect(config.SLIPWAY_API_TOKENS).toEqual([]);
    expect(config.SLIPWAY_AUTH_WRITES).toBe(true);
    expect(config.SLIPWAY_AUTH_READS).toBe(false);
  });

  it('rejects a token with the old "rights" field by name', () => {
    expect(() => loadConfig(modelRegistryConfig, { SLIPWAY_API_TOKENS: JSON.stringify([{ name: 'ci', token: 'ci-token-0123456789', rights: ['admin'] }]) })).toThrow(/SLIPWAY_API_TOKENS.*rights/);
  });

  it('reads tokens as JSON and protected aliases as a list, "none" protecting nothing', () => {
    const config = loadConfig(modelRegistryConfig, { SLIPWAY_API_TOKENS: JSON.stringify(tokens), SLIPWAY_PROTECTED_ALIASES: ' production, staging ,production' });
    expect(config.SLIPWAY_API_TOKENS).toEqual(tokens);
    expect(config.SLIPWAY_PROTECTED_ALIASES).toEqual(['production', 'staging']);
    expect(loadConfig(modelRegistryConfig, { SLIPWAY_PROTECTED_ALIASES: 'none' }).SLIPWAY_PROTECTED_ALIASES).toEqual([]);
  });

  it.each([
    [[{ name: 'ci', token: 'short', scopes: ['admin'] }], /SLIPWAY_API_TOKENS.*16 characters/],
    [[{ name: 'ci', token: 'ci-token-0123456789', scopes: [] }], /SLIPWAY_API_TOKENS.*at least one scope/],
    [[{ name: 'ci', token: 'ci-token-0123456789', scopes: ['deploy:production'] }], /SLIPWAY_API_TOKENS.*promote:<alias>/],
    [[...tokens, { ...tokens[0], token: 'other-token-0123456789' }], /SLIPWAY_API_TOKENS.*names must be unique/],
  ])('rejects bad tokens without echoing them (%#)', (value, reason) => {
    const attempt = () => loadConfig(modelRegistryConfig, { SLIPWAY_API_TOKENS: JSON.stringify(value) });
    expect(attempt).toThrow(reason);
    expect(attempt).toThrow(expect.objectContaining({ message: expect.not.stringContaining('0123456789') }));
  });

  it('rejects a protected alias that is not an alias name', () => {
    expect(() => loadConfig(modelRegistryConfig, { SLIPWAY_PROTECTED_ALIASES: 'Production' })).toThrow(/SLIPWAY_PROTECTED_ALIASES/);
  });
});

describe('testHarnessConfig', () => {
  it('accepts postgres:// and postgresql:// for POSTGRES_URL and nothing else', () => {
    expect(loadConfig(testHarnessConfig, { POSTGRES_URL: 'postgresql://u:p@db/x' }).POSTGRES_URL).toBe('postgresql://u:p@db/x');
    expect(() => loadConfig(testHarnessConfig, { POSTGRES_URL: 'mysql://u:p@db/x' })).toThrow(/POSTGRES_URL/);
  });
});

describe('SLIPWAY_TEAM_QUOTAS', () => {
  it('reads per-team limits as JSON, with no limits by default', () => {
    expect(loadConfig(modelRegistryConfig, {}).SLIPWAY_TEAM_QUOTAS).toEqual({});
    const quotas = { vision: { maxConcurrentTrainings: 2, maxGpus: 4 } };
    expect(loadConfig(modelRegistryConfig, { SLIPWAY_TEAM_QUOTAS: JSON.stringify(quotas) }).SLIPWAY_TEAM_QUOTAS).toEqual(quotas);
  });

  it('names the variable and the field of a bad limit', () => {
    expect(() => loadConfig(modelRegistryConfig, { SLIPWAY_TEAM_QUOTAS: '{"vision":{"maxConcurrentTrainings":0}}' })).toThrow(/SLIPWAY_TEAM_QUOTAS.*maxConcurrentTrainings/);
  });
});
