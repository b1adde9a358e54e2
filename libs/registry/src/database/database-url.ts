import { isAbsolute, resolve } from 'node:path';
import { UnsupportedDatabaseUrlError } from './unsupported-database-url.error';

export type DatabaseTarget =
  | { readonly dialect: 'sqlite'; readonly filename: string | ':memory:' }
  | { readonly dialect: 'postgres'; readonly connectionString: string };

const SQLITE_PREFIX = 'sqlite:';
const SQLITE_MEMORY = 'sqlite::memory:';
const POSTGRES_SCHEMES = ['postgres:', 'postgresql:'];

/** Reads SLIPWAY_DATABASE_URL. Only the scheme of a rejected URL is echoed: it may carry a password. */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  const trimmed = url.trim();
  if (trimmed === SQLITE_MEMORY) return { dialect: 'sqlite', filename: ':memory:' };
  if (trimmed.startsWith(SQLITE_PREFIX)) {
    const path = trimmed.slice(SQLITE_PREFIX.length);
    if (path === '') throw new UnsupportedDatabaseUrlError('"sqlite:" names no file');
    if (path.startsWith('//')) {
      throw new UnsupportedDatabaseUrlError(`"${trimmed}" looks like a URL authority; write sqlite:/absolute/path or sqlite:relative/path`);
    }
    return { dialect: 'sqlite', filename: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (trimmed === '') throw new UnsupportedDatabaseUrlError('is empty');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1];
  if (scheme === undefined) throw new UnsupportedDatabaseUrlError('has no scheme');
  if (POSTGRES_SCHEMES.includes(`${scheme.toLowerCase()}:`)) return { dialect: 'postgres', connectionString: checkedPostgresUrl(trimmed) };
  throw new UnsupportedDatabaseUrlError(`uses the unsupported scheme "${scheme}:"`);
}

function checkedPostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsupportedDatabaseUrlError('is not a valid postgres:// URL');
  }
  if (parsed.pathname.length <= 1) throw new UnsupportedDatabaseUrlError('names no PostgreSQL database (postgres://user:pass@host:port/<database>)');
  return url;
}
