import { Client } from 'pg';
import { isPostgresAnswering, startTestPostgres, type TestPostgres } from './test-postgres';

describe('startTestPostgres', () => {
  let postgres: TestPostgres;

  beforeAll(async () => {
    postgres = await startTestPostgres();
  });

  afterAll(async () => {
    await postgres.stop();
  });

  it('gives a PostgreSQL that answers queries', async () => {
    expect(await isPostgresAnswering(postgres.url)).toBe(true);
  });

  it('creates databases of their own, isolated from each other, and drops them', async () => {
    const [a, b] = await Promise.all([postgres.createDatabase(), postgres.createDatabase()]);
    expect(a.url).not.toBe(b.url);
    const client = new Client({ connectionString: a.url });
    await client.connect();
    try {
      await client.query('create table only_in_a (id integer)');
      const { rows } = await client.query<{ name: string }>('select current_database() as name');
      expect(a.url).toContain(`/${rows[0]?.name}`);
    } finally {
      await client.end();
    }
    const other = new Client({ connectionString: b.url });
    await other.connect();
    try {
      const { rows } = await other.query("select count(*)::int as n from information_schema.tables where table_name = 'only_in_a'");
      expect(rows[0]).toEqual({ n: 0 });
    } finally {
      await other.end();
    }

    await Promise.all([a.drop(), b.drop()]);
    expect(await isPostgresAnswering(a.url)).toBe(false);
  });

  it('tells a URL where nothing answers from one that does', async () => {
    const closed = new URL(postgres.url);
    closed.port = '1';
    expect(await isPostgresAnswering(closed.toString(), 500)).toBe(false);
  });
});
