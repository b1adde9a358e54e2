export const ACCEPTED_DATABASE_URLS = [
  'sqlite:<path> (relative to the working directory)',
  'sqlite::memory:',
  'postgres://user:pass@host:port/db (or postgresql://)',
] as const;

export class UnsupportedDatabaseUrlError extends Error {
  override readonly name = 'UnsupportedDatabaseUrlError';
  readonly variable = 'SLIPWAY_DATABASE_URL';
  constructor(reason: string) {
    super(`SLIPWAY_DATABASE_URL ${reason}; accepted forms: ${ACCEPTED_DATABASE_URLS.join(' or ')}`);
  }
}
