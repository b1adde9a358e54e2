import { startTestPostgres, type TestPostgres, type TestPostgresDatabase } from '@slipway/testing';
import { sql } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADVISORY_LOCKS, withAdvisoryLock } from '../database/advisory-lock';
import { migrateToLatest } from '../database/migrate-to-latest';
import { openRegistryDatabase } from '../database/open-registry-database';
import type { RegistryDb } from '../database/registry-database.types';
import { RecordingDispatcher } from '../fixtures/fixture-workers';
import { pipelineSpecFixture } from '../fixtures/registry-fixtures';
import { manualClock, type ManualClock } from '../fixtures/test-database';
import { ModelRegistryService } from '../models/model-registry.service';
import { SqlModelStore } from '../models/sql/sql-model-store';
import { RunService } from '../runs/run.service';
import { SqlRunStore } from '../runs/sql/sql-run-store';
import { PipelineEngine } from './pipeline-engine';
import { RegistrySteps } from './registry-steps';
import { SqlStepCache } from './sql-step-cache';
import { unprotectedRunAuthority } from '../fixtures/run-authorities';

/**
 * A blocked lock request emits nothing to wait on, so this asks PostgreSQL until it shows one (at most 10 s):
 * the proof that a replica is waiting for another rather than deciding.
 */
async function waitForAdvisoryLockWaiter(db: RegistryDb): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { rows } = await sql<{ waiting: number }>`select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted`.execute(db);
    if ((rows[0]?.waiting ?? 0) > 0) return;
    await sleep(20);
  }
  throw new Error('no connection waited for the advisory lock within 10 s');
}

describe('PipelineEngine replicas sharing one PostgreSQL database', () => {
  let postgres: TestPostgres;
  let database: TestPostgresDatabase;
  let handles: RegistryDb[];
  let time: ManualClock;

  beforeAll(async () => {
    postgres = await startTestPostgres();
  });
  afterAll(() => postgres.stop());

  beforeEach(async () => {
    database = await postgres.createDatabase();
    // Each replica has its own connection pool, as two registry pods do.
    handles = [openRegistryDatabase(database.url), openRegistryDatabase(database.url)];
    await migrateToLatest(handles[0] as RegistryDb);
    time = manualClock();
  });

  afterEach(async () => {
    await Promise.all(handles.map((db) => db.destroy()));
    await database.drop();
  });

  /** A registry replica's engine over its own pool, recording what it queues. */
  function replica(db: RegistryDb): { engine: PipelineEngine; dispatcher: RecordingDispatcher } {
    const dispatcher = new RecordingDispatcher();
    const runs = new RunService(new SqlRunStore(db), { clock: time.clock });
    const registrations = new RegistrySteps(runs, new ModelRegistryService(new SqlModelStore(db), { clock: time.clock }), unprotectedRunAuthority());
    return { engine: new PipelineEngine({ runs, cache: new SqlStepCache(db, time.clock), registrations, dispatcher, authority: unprotectedRunAuthority() }), dispatcher };
  }

  it('queues nothing while another replica is deciding, and decides as soon as it is done', async () => {
    const [first, second] = handles as [RegistryDb, RegistryDb];
    const deciding = replica(first);
    let finishDeciding: () => void = () => undefined;
    let lockTaken: () => void = () => undefined;
    const taken = new Promise<void>((resolve) => (lockTaken = resolve));
    const otherReplica = withAdvisoryLock(second, ADVISORY_LOCKS.pipelineEngine, async () => {
      lockTaken();
      await new Promise<void>((resolve) => (finishDeciding = resolve));
    });
    await taken;

    const submitted = deciding.engine.submit(pipelineSpecFixture());
    await waitForAdvisoryLockWaiter(second);
    expect(deciding.dispatcher.dispatched).toEqual([]);

    finishDeciding();
    await otherReplica;
    const run = await submitted;
    expect(deciding.dispatcher.stepsOf(run.id)).toEqual(['prepare']);
  });
});
