import { AuthenticationRequiredError } from '@slipway/service-kit';
import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { manualClock, openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from '../fixtures/test-database';
import { ApiTokenService } from './api-token.service';
import { DeclaredTokenError, TokenNameTakenError } from './token-errors';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

const ROOT = { name: 'root', token: 'root-token-0123456789abcdef', scopes: ['admin' as const] };
const bearer = (token: string) => `Bearer ${token}`;

describe.each(TEST_DATABASE_KINDS)('ApiTokenService on a %s database', (kind) => {
  let database: TestDatabase;
  let time: ReturnType<typeof manualClock>;
  let tokens: ApiTokenService;

  beforeEach(async () => {
    database = await openTestDatabase(kind, postgres);
    time = manualClock();
    tokens = new ApiTokenService(database.db, { declared: [ROOT], clock: time.clock });
  });
  afterEach(() => database.close());

  it('issues a token that identifies as its name and scopes, and stores only its digest', async () => {
    const { token, record } = await tokens.issue({ name: 'ci', scopes: ['runs:write', 'promote:production'] }, 'root');
    expect(token).toMatch(/^slw_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ name: 'ci', source: 'issued', createdBy: 'root', revokedAt: null, expiresAt: null });
    await expect(tokens.identify(bearer(token))).resolves.toEqual({ name: 'ci', scopes: ['runs:write', 'promote:production'], source: 'issued' });
    const rows = await database.db.selectFrom('api_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
  });

  it('identifies declared tokens and refuses unknown, malformed and near-miss ones without echoing them', async () => {
    await expect(tokens.identify(bearer(ROOT.token))).resolves.toMatchObject({ name: 'root', source: 'declared' });
    await expect(tokens.identify(undefined)).resolves.toBeUndefined();
    await expect(tokens.identify(bearer(`${ROOT.token}x`))).rejects.toThrow(AuthenticationRequiredError);
    await expect(tokens.identify(`Basic ${ROOT.token}`)).rejects.toThrow(/Bearer <token>/);
    await expect(tokens.identify(bearer('slw_guess-0123456789'))).rejects.toThrow(expect.objectContaining({ message: expect.not.stringContaining('guess') }));
  });

  it('stops a revoked token at once, and keeps it listed as revoked', async () => {
    const { token } = await tokens.issue({ name: 'ci', scopes: ['runs:write'] }, 'root');
    time.advance(1_000);
    await tokens.revoke('ci');
    await expect(tokens.identify(bearer(token))).rejects.toThrow(/"ci" was revoked/);
    await expect(tokens.principalNamed('ci')).resolves.toBeUndefined();
    expect((await tokens.list()).find((t) => t.name === 'ci')?.revokedAt).toBe('2025-06-01T12:00:01.000Z');
  });

  it('stops a token when it expires', async () => {
    const { token } = await tokens.issue({ name: 'temp', scopes: ['feedback:write'], expiresInDays: 1 }, 'root');
    await expect(tokens.identify(bearer(token))).resolves.toMatchObject({ name: 'temp' });
    time.advance(86_400_000);
    await expect(tokens.identify(bearer(token))).rejects.toThrow(/expired/);
  });

  it('keeps names unique across declared and issued tokens, revoked ones included', async () => {
    await expect(tokens.issue({ name: 'root', scopes: ['admin'] }, 'root')).rejects.toThrow(TokenNameTakenError);
    await tokens.issue({ name: 'ci', scopes: ['runs:write'] }, 'root');
    await tokens.revoke('ci');
    await expect(tokens.issue({ name: 'ci', scopes: ['runs:write'] }, 'root')).rejects.toThrow(TokenNameTakenError);
    await expect(tokens.revoke('root')).rejects.toThrow(DeclaredTokenError);
  });

  it('records when a token was last used, at most once a minute', async () => {
    const { token } = await tokens.issue({ name: 'ci', scopes: ['runs:write'] }, 'root');
    await tokens.identify(bearer(token));
    time.advance(30_000);
    await tokens.identify(bearer(token));
    expect((await tokens.get('ci')).lastUsedAt).toBe('2025-06-01T12:00:00.000Z');
    time.advance(31_000);
    await tokens.identify(bearer(token));
    expect((await tokens.get('ci')).lastUsedAt).toBe('2025-06-01T12:01:01.000Z');
  });

  it('knows whether any usable token can administer', async () => {
    const withoutDeclared = new ApiTokenService(database.db, { declared: [], clock: time.clock });
    await expect(withoutDeclared.hasAdmin()).resolves.toBe(false);
    await withoutDeclared.issue({ name: 'ops', scopes: ['admin'] }, 'bootstrap');
    await expect(withoutDeclared.hasAdmin()).resolves.toBe(true);
    await withoutDeclared.revoke('ops');
    await expect(withoutDeclared.hasAdmin()).resolves.toBe(false);
  });
});
