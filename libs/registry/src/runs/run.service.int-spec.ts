import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { TEST_DATABASE_KINDS } from '../fixtures/test-database';
import { describeRunService } from './run.service.scenarios';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(TEST_DATABASE_KINDS)('RunService on a %s database', (kind) => describeRunService(kind, () => postgres));
