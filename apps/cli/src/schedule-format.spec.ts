import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseInterval, pipelineSpecSchema, type Schedule } from '@slipway/contracts';
import { formatInterval, formatScheduleLine, formatScheduleTable, formatTiming } from './schedule-format';

const irisPipeline: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'pipelines', 'iris.pipeline.json'), 'utf8'));

function schedule(fields: Partial<Schedule>): Schedule {
  return {
    name: 'nightly',
    pipelineName: 'iris-demo',
    pipeline: pipelineSpecSchema.parse(irisPipeline),
    experiment: 'default',
    cron: null,
    timezone: null,
    every: null,
    paused: false,
    nextRunAt: '2025-06-02T01:00:00.000Z',
    lastRunId: null,
    lastRunAt: null,
    createdAt: '2025-06-01T12:00:00.000Z',
    updatedAt: '2025-06-01T12:00:00.000Z',
    createdBy: null,
    ...fields,
  };
}

describe('formatInterval', () => {
  it.each([1_000, 1_500, 30_000, 90_000, 15 * 60_000, 3_600_000, 36 * 3_600_000, 86_400_000, 30 * 86_400_000])(
    'writes %d ms in a form --every reads back to the same interval',
    (ms) => {
      expect(parseInterval(formatInterval(ms))).toBe(ms);
    },
  );

  it('picks the largest unit that divides the interval', () => {
    expect(formatInterval(15 * 60_000)).toBe('15m');
    expect(formatInterval(90_000)).toBe('90s');
    expect(formatInterval(36 * 3_600_000)).toBe('36h');
    expect(formatInterval(1_500)).toBe('1500ms');
  });
});

describe('formatTiming', () => {
  it('shows an interval schedule by its interval', () => {
    expect(formatTiming(schedule({ every: 15 * 60_000 }))).toBe('every 15m');
  });

  it('shows a cron schedule with its time zone, UTC when it has none', () => {
    expect(formatTiming(schedule({ cron: '0 3 * * *', timezone: 'Europe/Berlin' }))).toBe('0 3 * * * (Europe/Berlin)');
    expect(formatTiming(schedule({ cron: '0 3 * * *' }))).toBe('0 3 * * * (UTC)');
  });
});

describe('formatScheduleTable', () => {
  it('has a line per schedule with its name, timing, state, next and last run', () => {
    const active = schedule({ name: 'hourly', every: 3_600_000, lastRunId: 'run-abc' });
    const paused = schedule({ name: 'nightly', cron: '0 3 * * *', paused: true, nextRunAt: null });
    const lines = formatScheduleTable([active, paused]).split('\n');

    expect(lines).toHaveLength(3);
    for (const fragment of ['hourly', 'iris-demo', 'every 1h', 'active', active.nextRunAt ?? '', 'run-abc']) expect(lines[1]).toContain(fragment);
    for (const fragment of ['nightly', '0 3 * * * (UTC)', 'paused']) expect(lines[2]).toContain(fragment);
  });

  it('tells how to create one when there are none', () => {
    expect(formatScheduleTable([])).toContain('slipway schedules create');
  });
});

describe('formatScheduleLine', () => {
  it('names the schedule, its pipeline and experiment, and when it runs next', () => {
    const line = formatScheduleLine(schedule({ every: 30_000, experiment: 'nightly-iris' }));
    for (const fragment of ['nightly', 'iris-demo', 'nightly-iris', 'every 30s', '2025-06-02T01:00:00.000Z']) expect(line).toContain(fragment);
    expect(formatScheduleLine(schedule({ every: 30_000, paused: true, nextRunAt: null }))).toContain('paused');
  });
});
