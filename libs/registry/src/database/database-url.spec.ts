import { parseDatabaseUrl } from './database-url';
import { UnsupportedDatabaseUrlError } from './unsupported-database-url.error';

describe('parseDatabaseUrl', () => {
  it('reads sqlite::memory: as an in-memory database', () => {
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', filename: ':memory:' });
  });

  it('resolves a relative path from the given working directory and keeps an absolute one', () => {
    expect(parseDatabaseUrl('sqlite:.slipway/registry.db', '/srv/app')).toEqual({ dialect: 'sqlite', filename: '/srv/app/.slipway/registry.db' });
    expect(parseDatabaseUrl('sqlite:/var/lib/slipway/registry.db', '/srv/app')).toEqual({
      dialect: 'sqlite',
      filename: '/var/lib/slipway/registry.db',
    });
  });

  it('ignores surrounding whitespace, as pasted into an env file', () => {
    expect(parseDatabaseUrl('  sqlite::memory:\n')).toEqual({ dialect: 'sqlite', filename: ':memory:' });
  });

  it.each(['postgres://u:p@db:5432/slipway', 'postgresql://u:p@db/slipway', 'POSTGRES://u@db/slipway?sslmode=require'])(
    'reads %s as PostgreSQL, keeping the URL whole for the driver',
    (url) => {
      expect(parseDatabaseUrl(` ${url}\n`)).toEqual({ dialect: 'postgres', connectionString: url });
    },
  );

  it('rejects other schemes with an error that carries the variable name', () => {
    const attempt = () => parseDatabaseUrl('mysql://u:p@db/slipway');
    expect(attempt).toThrow(UnsupportedDatabaseUrlError);
    expect(attempt).toThrow(expect.objectContaining({ variable: 'SLIPWAY_DATABASE_URL' }));
  });
});
