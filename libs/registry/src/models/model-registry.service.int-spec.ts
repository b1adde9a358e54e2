import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { TEST_DATABASE_KINDS } from '../fixtures/test-database';
import { describeModelRegistry } from './model-registry.service.scenarios';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(TEST_DATABASE_KINDS)('ModelRegistryService on a %s database', (kind) => describeModelRegistry(kind, () => postgres));
