import { redisOptionsFromUrl } from './redis-options';

describe('redisOptionsFromUrl', () => {
  it('reads host, port and database', () => {
    expect(redisOptionsFromUrl('redis://cache.internal:6380/4')).toMatchObject({ host: 'cache.internal', port: 6380, db: 4 });
  });

  it('uses the standard port and database 0 when the URL names neither', () => {
    const options = redisOptionsFromUrl('redis://cache.internal');
    expect(options.port).toBe(6379);
    expect(options.db).toBe(0);
  });

  it('decodes a percent-encoded user name and password', () => {
    const password = 'p@ss:w/rd';
    const options = redisOptionsFromUrl(`redis://app-user:${encodeURIComponent(password)}@cache.internal:6379`);
    expect(options.username).toBe('app-user');
    expect(options.password).toBe(password);
  });

  it('passes a password without a user name (the redis://:password@host form) and no user name', () => {
    const options = redisOptionsFromUrl('redis://:secret@cache.internal');
    expect(options.password).toBe('secret');
    expect(options).not.toHaveProperty('username');
  });

  it('leaves credentials out when the URL has none', () => {
    const options = redisOptionsFromUrl('redis://cache.internal');
    expect(options).not.toHaveProperty('password');
    expect(options).not.toHaveProperty('username');
  });

  it('turns TLS on for rediss:// only', () => {
    expect(redisOptionsFromUrl('rediss://cache.internal').tls).toBeDefined();
    expect(redisOptionsFromUrl('redis://cache.internal').tls).toBeUndefined();
  });

  it('gives an IPv6 host without its brackets', () => {
    expect(redisOptionsFromUrl('redis://[::1]:7000')).toMatchObject({ host: '::1', port: 7000 });
  });

  it.each(['redis://cache.internal/abc', 'redis://cache.internal/1.5', 'redis://cache.internal/-1'])('rejects the bad database number in %s', (url) => {
    const database = url.slice(url.lastIndexOf('/') + 1);
    expect(() => redisOptionsFromUrl(url)).toThrow(database);
  });
});
