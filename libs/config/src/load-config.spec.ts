import { ConfigError } from './config.error';
import { loadConfig } from './load-config';
import { servingConfig, trainerConfig } from './service-configs';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig(trainerConfig, {});
    expect(config.PORT).toBe(3003);
    expect(config.SLIPWAY_TF_BACKEND).toBe('auto');
    expect(config.REDIS_URL).toMatch(/^redis:\/\//);
  });

  it('coerces numbers from strings', () => {
    expect(loadConfig(trainerConfig, { PORT: '4100' }).PORT).toBe(4100);
  });

  it('names every bad variable in one error', () => {
    const attempt = () => loadConfig(servingConfig, { PORT: 'eighty', SLIPWAY_TF_BACKEND: 'quantum', SLIPWAY_REGISTRY_URL: 'ftp://x' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const { message, problems } = error as ConfigError;
      expect(problems).toHaveLength(3);
      for (const name of ['PORT', 'SLIPWAY_TF_BACKEND', 'SLIPWAY_REGISTRY_URL']) expect(message).toContain(name);
    }
  });

  it('never echoes a sensitive value', () => {
    const secret = 'http://user:hunter2@host';
    try {
      loadConfig(trainerConfig, { REDIS_URL: secret });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).message).toContain('REDIS_URL');
      expect((error as ConfigError).message).not.toContain('hunter2');
    }
  });
});
