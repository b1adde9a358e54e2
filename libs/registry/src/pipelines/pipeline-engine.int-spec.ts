import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { TEST_DATABASE_KINDS } from '../fixtures/test-database';
import { describePipelineEngine } from './pipeline-engine.scenarios';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(TEST_DATABASE_KINDS)('PipelineEngine on a %s database', (kind) => describePipelineEngine(kind, () => postgres));
