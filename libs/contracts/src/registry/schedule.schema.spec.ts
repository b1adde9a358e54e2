import { parseExpression } from 'cron-parser';
import { describeZodError } from '../zod-errors';
import { canonicalTimeZone, createScheduleRequestSchema, MIN_SCHEDULE_INTERVAL_MS, parseInterval, scheduleSchema } from './schedule.schema';

const pipeline = {
  name: 'iris-nightly',
  model: { name: 'iris', spec: { layers: [{ type: 'dense', units: 3, activation: 'softmax' }] } },
  dataset: { uri: 'data/iris.csv', labelColumn: 'species' },
};

function problems(fields: Record<string, unknown>): string {
  const parsed = createScheduleRequestSchema.safeParse({ name: 'nightly', pipeline, ...fields });
  if (parsed.success) throw new Error(`expected ${JSON.stringify(fields)} to be rejected`);
  return describeZodError(parsed.error, ['body']);
}

describe('parseInterval', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30 * 1_000],
    ['15m', 15 * 60 * 1_000],
    ['1h', 60 * 60 * 1_000],
    ['2d', 2 * 24 * 60 * 60 * 1_000],
    ['60000', 60_000],
    [' 5m ', 5 * 60 * 1_000],
    [90_000, 90_000],
  ])('reads %j', (text, ms) => {
    expect(parseInterval(text)).toBe(ms);
  });

  it.each(['', 'soon', '1.5h', '1h30m', '-5s', '5 m', '10w', 1.5, Number.MAX_VALUE])('rejects %j', (text) => {
    expect(parseInterval(text)).toBeUndefined();
  });
});

describe('canonicalTimeZone', () => {
  it('spells a zone the way IANA does, whatever its case', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
  });

  it('knows no made-up zone', () => {
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeUndefined();
  });
});

describe('createScheduleRequestSchema', () => {
  it('accepts a cron schedule in a time zone, in the canonical spelling, with the default experiment', () => {
    const request = createScheduleRequestSchema.parse({ name: 'nightly', pipeline, cron: ' 0 3 * * 1-5 ', timezone: 'america/new_york' });
    expect(request).toMatchObject({ name: 'nightly', cron: '0 3 * * 1-5', timezone: 'America/New_York', experiment: 'default' });
    expect(request.every).toBeUndefined();
    expect(request.pipeline.name).toBe(pipeline.name);
  });

  it('accepts cron with seconds and predefined names, as BullMQ evaluates them', () => {
    for (const cron of ['*/10 * * * * *', '@daily']) {
      const request = createScheduleRequestSchema.parse({ name: 'often', pipeline, cron });
      expect(() => parseExpression(request.cron ?? '')).not.toThrow();
    }
  });

  it('reads an interval into milliseconds, down to the minimum', () => {
    expect(createScheduleRequestSchema.parse({ name: 'quarter-hourly', pipeline, every: '15m' }).every).toBe(15 * 60 * 1_000);
    expect(createScheduleRequestSchema.parse({ name: 'fastest', pipeline, every: MIN_SCHEDULE_INTERVAL_MS }).every).toBe(MIN_SCHEDULE_INTERVAL_MS);
  });

  it.each([
    ['a cron expression cron-parser rejects', { cron: '61 * * * *' }, /body\.cron: not a valid cron expression.*61/],
    ['a cron expression with too few fields', { cron: '* * *' }, /body\.cron: .*5 fields/],
    ['an empty cron expression', { cron: '' }, /body\.cron: .*got nothing/],
    ['a date that never comes', { cron: '0 0 31 2 *' }, /body\.cron: not a valid cron expression/],
    ['an unknown time zone', { cron: '0 3 * * *', timezone: 'Mars/Olympus_Mons' }, /body\.timezone: unknown IANA time zone "Mars\/Olympus_Mons"/],
    ['both cron and every', { cron: '0 3 * * *', every: '1h' }, /body\.every: give either cron or every, not both/],
    ['neither cron nor every', {}, /body\.cron: give either cron .* or every/],
    ['a time zone without cron', { every: '1h', timezone: 'UTC' }, /body\.timezone: a time zone applies to a cron schedule only/],
    ['an interval below one second', { every: '999ms' }, /body\.every: 999 ms is below the minimum interval/],
    ['an interval in milliseconds below one second', { every: 500 }, /body\.every: 500 ms is below the minimum interval/],
    ['an interval that is no duration', { every: 'hourly' }, /body\.every: "hourly" is not an interval/],
    ['a name BullMQ ids cannot carry', { name: 'Nightly:Run', every: '1h' }, /body\.name:/],
    ['a bad experiment name', { experiment: 'Nightly Runs', every: '1h' }, /body\.experiment:/],
  ])('rejects %s, naming the field', (_what, fields, expected) => {
    expect(problems(fields)).toMatch(expected);
  });

  it('names a bad pipeline field by its path under pipeline', () => {
    expect(problems({ pipeline: { ...pipeline, dataset: undefined }, every: '1h' })).toMatch(/body\.pipeline\.dataset/);
  });
});

describe('scheduleSchema', () => {
  it('describes an interval schedule in a form that posts back as a create request', () => {
    const every = createScheduleRequestSchema.parse({ name: 'fast', pipeline, every: '30s' }).every;
    const schedule = scheduleSchema.parse({
      name: 'fast',
      pipelineName: pipeline.name,
      pipeline,
      experiment: 'default',
      cron: null,
      timezone: null,
      every,
      paused: false,
      nextRunAt: '2025-06-01T12:00:30.000Z',
      lastRunId: null,
      lastRunAt: null,
      createdAt: '2025-06-01T12:00:00.000Z',
      updatedAt: '2025-06-01T12:00:00.000Z',
      createdBy: null,
    });
    const repost = createScheduleRequestSchema.parse({ name: schedule.name, pipeline: schedule.pipeline, experiment: schedule.experiment, every: schedule.every });
    expect(repost.every).toBe(every);
  });
});
