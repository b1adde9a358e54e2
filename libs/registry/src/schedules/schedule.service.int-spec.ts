import { createScheduleRequestSchema, scheduleSchema, type CreateScheduleRequest, type PipelineSpec } from '@slipway/contracts';
import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { RegistryNotFoundError } from '../errors/registry-not-found.error';
import { InMemoryScheduleTriggers } from '../fixtures/in-memory-schedule-triggers';
import { pipelineSpecFixture } from '../fixtures/registry-fixtures';
import { manualClock, openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from '../fixtures/test-database';
import { ScheduleAlreadyExistsError } from './schedule-already-exists.error';
import { ScheduleNotFoundError } from './schedule-not-found.error';
import { ScheduleService, type SubmitScheduledRun } from './schedule.service';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(TEST_DATABASE_KINDS)('ScheduleService on a %s database', (kind) => {
  let database: TestDatabase;
  let time: ReturnType<typeof manualClock>;
  let triggers: InMemoryScheduleTriggers;
  let schedules: ScheduleService;
  let submitted: { pipeline: PipelineSpec; experiment: string; id: string }[];
  const submit: SubmitScheduledRun = async (pipeline, experiment) => {
    const run = { pipeline, experiment, id: `run-${submitted.length + 1}` };
    submitted.push(run);
    return run;
  };

  beforeEach(async () => {
    database = await openTestDatabase(kind, postgres);
    time = manualClock();
    triggers = new InMemoryScheduleTriggers(time.clock);
    schedules = new ScheduleService(database.db, triggers, { clock: time.clock });
    submitted = [];
  });

  afterEach(() => database.close());

  const request = (fields: Omit<CreateScheduleRequest, 'pipeline'>) => createScheduleRequestSchema.parse({ pipeline: pipelineSpecFixture(), ...fields });

  describe('create', () => {
    it('stores a cron schedule in its time zone and installs its trigger', async () => {
      const schedule = await schedules.create(request({ name: 'nightly', cron: '0 3 * * *', timezone: 'Europe/Berlin', experiment: 'nightly-iris' }));

      expect(scheduleSchema.parse(schedule)).toEqual(schedule);
      expect(schedule).toMatchObject({
        name: 'nightly',
        pipelineName: pipelineSpecFixture().name,
        pipeline: pipelineSpecFixture(),
        experiment: 'nightly-iris',
        cron: '0 3 * * *',
        timezone: 'Europe/Berlin',
        every: null,
        paused: false,
        lastRunId: null,
        lastRunAt: null,
        createdAt: time.clock().toISOString(),
        updatedAt: time.clock().toISOString(),
      });
      expect(triggers.triggers.get('nightly')?.timing).toEqual({ cron: '0 3 * * *', timezone: 'Europe/Berlin' });
      expect(schedule.nextRunAt).toBe(triggers.triggers.get('nightly')?.nextRunAt);
      expect(await schedules.get('nightly')).toEqual(schedule);
    });

    it('stores an interval in milliseconds, also one longer than a 32-bit integer of them', async () => {
      const hourly = await schedules.create(request({ name: 'hourly', every: '1h' }));
      const monthly = await schedules.create(request({ name: 'monthly', every: '30d' }));
      expect([hourly.every, monthly.every]).toEqual([3_600_000, 30 * 86_400_000]);
      expect(monthly.every).toBeGreaterThan(2 ** 31);
      expect(hourly).toMatchObject({ cron: null, timezone: null, experiment: 'default' });
      expect(triggers.triggers.get('monthly')?.timing).toEqual({ every: 30 * 86_400_000 });
    });

    it('refuses a name that is taken, keeping the first definition and its trigger', async () => {
      const first = await schedules.create(request({ name: 'nightly', cron: '0 3 * * *' }));
      await expect(schedules.create(request({ name: 'nightly', every: '5m' }))).rejects.toThrow(ScheduleAlreadyExistsError);
      expect(await schedules.get('nightly')).toEqual(first);
      expect(triggers.log).toEqual(['install nightly']);
    });

    it('leaves no schedule behind when its trigger cannot be installed, so the same request can be retried', async () => {
      triggers.failNextInstall(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
      await expect(schedules.create(request({ name: 'nightly', cron: '0 3 * * *' }))).rejects.toThrow(/ECONNREFUSED/);
      await expect(schedules.get('nightly')).rejects.toThrow(ScheduleNotFoundError);

      const retried = await schedules.create(request({ name: 'nightly', cron: '0 3 * * *' }));
      expect(retried.paused).toBe(false);
      expect(triggers.triggers.has('nightly')).toBe(true);
    });
  });

  it('lists every schedule by name, each with its own next run', async () => {
    await schedules.create(request({ name: 'weekly', cron: '0 4 * * 1' }));
    time.advance(5_000);
    await schedules.create(request({ name: 'every-minute', every: '1m' }));
    await schedules.pause('weekly');

    const list = await schedules.list();
    expect(list.map((s) => s.name)).toEqual(['every-minute', 'weekly']);
    expect(list.map((s) => s.nextRunAt)).toEqual([triggers.triggers.get('every-minute')?.nextRunAt, null]);
    expect(list).toEqual([await schedules.get('every-minute'), await schedules.get('weekly')]);
  });

  it('reports unknown names as ScheduleNotFoundError, a RegistryNotFoundError', async () => {
    for (const attempt of [() => schedules.get('nope'), () => schedules.pause('nope'), () => schedules.resume('nope'), () => schedules.delete('nope')]) {
      const failure = attempt();
      await expect(failure).rejects.toThrow(ScheduleNotFoundError);
      await expect(failure).rejects.toThrow(RegistryNotFoundError);
      await expect(failure).rejects.toThrow(/"nope"/);
    }
    expect(triggers.log).toEqual([]);
  });

  describe('pause and resume', () => {
    it('pause keeps the definition and removes the trigger; pausing again changes nothing', async () => {
      const created = await schedules.create(request({ name: 'nightly', cron: '0 3 * * *', timezone: 'America/New_York' }));
      time.advance(60_000);
      const paused = await schedules.pause('nightly');

      expect(paused).toEqual({ ...created, paused: true, nextRunAt: null, updatedAt: time.clock().toISOString() });
      expect(triggers.triggers.has('nightly')).toBe(false);

      time.advance(60_000);
      expect(await schedules.pause('nightly')).toEqual(paused);
    });

    it('resume puts the same trigger back; resuming an active schedule leaves its trigger alone', async () => {
      const created = await schedules.create(request({ name: 'fast', every: '30s' }));
      await schedules.pause('fast');
      time.advance(60_000);
      const resumed = await schedules.resume('fast');

      expect(resumed).toMatchObject({ paused: false, every: 30_000, createdAt: created.createdAt, updatedAt: time.clock().toISOString() });
      expect(triggers.triggers.get('fast')?.timing).toEqual({ every: 30_000 });
      expect(resumed.nextRunAt).toBe(triggers.triggers.get('fast')?.nextRunAt);

      const installs = triggers.log.filter((entry) => entry === 'install fast').length;
      expect(await schedules.resume('fast')).toEqual(resumed);
      expect(triggers.log.filter((entry) => entry === 'install fast')).toHaveLength(installs);
    });

    it('resume repairs an active schedule whose trigger went missing', async () => {
      await schedules.create(request({ name: 'fast', every: '30s' }));
      triggers.triggers.clear();
      expect((await schedules.get('fast')).nextRunAt).toBeNull();
      expect((await schedules.resume('fast')).nextRunAt).not.toBeNull();
    });
  });

  it('delete removes the definition and the trigger', async () => {
    await schedules.create(request({ name: 'nightly', cron: '0 3 * * *' }));
    await schedules.delete('nightly');
    await expect(schedules.get('nightly')).rejects.toThrow(ScheduleNotFoundError);
    expect(triggers.triggers.size).toBe(0);
    await expect(schedules.delete('nightly')).rejects.toThrow(ScheduleNotFoundError);
  });

  it('reconcile installs missing or outdated triggers, removes those of paused or unknown schedules, and keeps the rest', async () => {
    await schedules.create(request({ name: 'lost', every: '1m' }));
    await schedules.create(request({ name: 'outdated', cron: '0 3 * * *', timezone: 'UTC' }));
    await schedules.create(request({ name: 'healthy', cron: '0 4 * * *' }));
    await schedules.create(request({ name: 'stale-pause', every: '1h' }));
    await schedules.pause('stale-pause');
    // The drift a Redis flush, a restore or a failed write leaves behind:
    triggers.triggers.delete('lost');
    await triggers.install('outdated', { cron: '0 5 * * *', timezone: 'UTC' });
    await triggers.install('stale-pause', { every: 3_600_000 });
    await triggers.install('deleted-long-ago', { every: 60_000 });
    const healthyTrigger = triggers.triggers.get('healthy');
    triggers.log.length = 0;

    expect(await schedules.reconcile()).toEqual({ installed: ['lost', 'outdated'], uninstalled: ['deleted-long-ago', 'stale-pause'] });
    expect([...triggers.triggers.keys()].sort()).toEqual(['healthy', 'lost', 'outdated']);
    expect(triggers.triggers.get('outdated')?.timing).toEqual({ cron: '0 3 * * *', timezone: 'UTC' });
    expect(triggers.triggers.get('healthy')).toBe(healthyTrigger);

    triggers.log.length = 0;
    expect(await schedules.reconcile()).toEqual({ installed: [], uninstalled: [] });
    expect(triggers.log).toEqual([]);
  });

  describe('trigger', () => {
    it("submits the schedule's pipeline in its experiment and records the run as the last one", async () => {
      await schedules.create(request({ name: 'nightly', cron: '0 3 * * *', experiment: 'nightly-iris' }));
      time.advance(3_600_000);

      expect(await schedules.trigger('nightly', 'repeat:nightly:1', submit)).toEqual({ outcome: 'submitted', runId: 'run-1' });
      expect(submitted).toEqual([{ pipeline: pipelineSpecFixture(), experiment: 'nightly-iris', id: 'run-1' }]);
      expect(await schedules.get('nightly')).toMatchObject({ lastRunId: 'run-1', lastRunAt: time.clock().toISOString() });
    });

    it('submits once per firing: a retried firing returns the run it submitted, the next firing a new one', async () => {
      await schedules.create(request({ name: 'fast', every: '1s' }));
      await schedules.trigger('fast', 'repeat:fast:1000', submit);

      expect(await schedules.trigger('fast', 'repeat:fast:1000', submit)).toEqual({ outcome: 'already-submitted', runId: 'run-1' });
      expect(submitted).toHaveLength(1);
      expect(await schedules.trigger('fast', 'repeat:fast:2000', submit)).toEqual({ outcome: 'submitted', runId: 'run-2' });
      expect((await schedules.get('fast')).lastRunId).toBe('run-2');
    });

    it('records nothing when the submission fails, so the retried firing submits', async () => {
      await schedules.create(request({ name: 'fast', every: '1s' }));
      const failing: SubmitScheduledRun = async () => {
        throw new Error('Redis is loading the dataset in memory');
      };
      await expect(schedules.trigger('fast', 'repeat:fast:1000', failing)).rejects.toThrow(/loading/);
      expect((await schedules.get('fast')).lastRunId).toBeNull();
      expect(await schedules.trigger('fast', 'repeat:fast:1000', submit)).toEqual({ outcome: 'submitted', runId: 'run-1' });
    });

    it('submits nothing for a paused or deleted schedule', async () => {
      await schedules.create(request({ name: 'paused', every: '1s' }));
      await schedules.pause('paused');
      expect(await schedules.trigger('paused', 'repeat:paused:1000', submit)).toEqual({ outcome: 'paused', runId: null });
      expect(await schedules.trigger('gone', 'repeat:gone:1000', submit)).toEqual({ outcome: 'unknown-schedule', runId: null });
      expect(submitted).toEqual([]);
      expect((await schedules.get('paused')).lastRunId).toBeNull();
    });
  });
});
