import { join } from 'node:path';
import { createScheduleRequestSchema, scheduleSchema, type Schedule } from '@slipway/contracts';
import { RegistryApiError } from '@slipway/registry-client';
import { CliError, EXIT } from '../cli.error';
import { loadPipelineFile } from '../pipeline-file';
import { capturePrintedOutput } from '../testing/printed-output';
import { RegistryStub, type StubAnswer, type StubRequest } from '../testing/registry-stub';
import { schedulesCommand } from './schedules.command';

const IRIS_JSON = join(__dirname, '..', '..', '..', '..', 'pipelines', 'iris.pipeline.json');

/**
 * The schedule routes answered from a map, as the real registry would: the stub's answer function, over the
 * shared RegistryStub's real HTTP.
 */
function scheduleRoutes(schedules: Map<string, Schedule>): (request: StubRequest) => StubAnswer | undefined {
  return ({ method, path, body }) => {
    if (method === 'POST' && path === '/api/schedules') {
      const created = scheduleFromRequest(body);
      schedules.set(created.name, created);
      return { status: 201, body: created };
    }
    if (method === 'GET' && path === '/api/schedules') return { status: 200, body: { schedules: [...schedules.values()] } };
    const [, name, action] = /^\/api\/schedules\/([^/]+)(?:\/(pause|resume))?$/.exec(path) ?? [];
    const existing = name === undefined ? undefined : schedules.get(name);
    if (existing === undefined) return { status: 404, body: { error: `schedule "${name}" does not exist` } };
    if (method === 'DELETE') {
      schedules.delete(existing.name);
      return { status: 204 };
    }
    if (method === 'POST' && action !== undefined) {
      const changed = { ...existing, paused: action === 'pause', nextRunAt: action === 'pause' ? null : '2025-06-02T01:00:00.000Z' };
      schedules.set(changed.name, changed);
      return { status: 200, body: changed };
    }
    return undefined;
  };
}

function scheduleFromRequest(body: unknown): Schedule {
  const request = createScheduleRequestSchema.parse(body);
  return scheduleSchema.parse({
    name: request.name,
    pipelineName: request.pipeline.name,
    pipeline: request.pipeline,
    experiment: request.experiment,
    cron: request.cron ?? null,
    timezone: request.timezone ?? null,
    every: request.every ?? null,
    paused: false,
    nextRunAt: '2025-06-02T01:00:00.000Z',
    lastRunId: null,
    lastRunAt: null,
    createdAt: '2025-06-01T12:00:00.000Z',
    updatedAt: '2025-06-01T12:00:00.000Z',
    createdBy: null,
  });
}

describe('slipway schedules', () => {
  let schedules: Map<string, Schedule>;
  let registry: RegistryStub;
  let url: string;
  let printed: string[];

  beforeEach(async () => {
    schedules = new Map();
    registry = new RegistryStub(scheduleRoutes(schedules));
    url = await registry.start();
    printed = capturePrintedOutput();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await registry.stop();
  });

  const slipwaySchedules = (...args: string[]) => schedulesCommand().parseAsync([...args, '--registry', url], { from: 'user' });

  async function usageError(...args: string[]): Promise<CliError> {
    const error = await slipwaySchedules(...args).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    return error as CliError;
  }

  it('creates an interval schedule: the pipeline file as loaded, the interval in milliseconds, the default experiment', async () => {
    await slipwaySchedules('create', IRIS_JSON, '--name', 'quarter-hourly', '--every', '15m');

    expect(registry.requests).toEqual([
      { method: 'POST', path: '/api/schedules', body: expect.objectContaining({ name: 'quarter-hourly', every: 15 * 60_000, experiment: 'default' }) },
    ]);
    const sent = createScheduleRequestSchema.parse(registry.requests[0]?.body);
    expect(sent.pipeline).toEqual(await loadPipelineFile(IRIS_JSON));
    expect(sent.cron).toBeUndefined();
    expect(printed.join('\n')).toMatch(/quarter-hourly.*every 15m/);
  });

  it('creates a cron schedule in its time zone, spelled the IANA way, in the experiment given', async () => {
    await slipwaySchedules('create', IRIS_JSON, '--name', 'nightly', '--cron', '0 3 * * *', '--tz', 'europe/berlin', '--experiment', 'nightly-iris', '--json');

    expect(registry.requests[0]?.body).toMatchObject({ cron: '0 3 * * *', timezone: 'Europe/Berlin', experiment: 'nightly-iris' });
    expect(scheduleSchema.parse(JSON.parse(printed.join('')))).toEqual(schedules.get('nightly'));
  });

  it.each([
    ['a bad cron expression', ['--cron', '61 * * * *'], '--cron'],
    ['an unknown time zone', ['--cron', '0 3 * * *', '--tz', 'Mars/Olympus_Mons'], '--tz'],
    ['both --cron and --every', ['--cron', '0 3 * * *', '--every', '1h'], '--every'],
    ['neither --cron nor --every', [], '--cron'],
    ['an interval below one second', ['--every', '500ms'], '--every'],
    ['a name the registry cannot take', ['--every', '1h', '--name', 'Nightly Run'], '--name'],
  ])('refuses %s as a usage error naming the option, before anything reaches the registry', async (_what, options, flag) => {
    const error = await usageError('create', IRIS_JSON, '--name', 'nightly', ...options);
    expect(error.message).toContain(`${flag}:`);
    expect(registry.requests).toEqual([]);
  });

  it('refuses an invalid pipeline file as a usage error naming the file', async () => {
    const file = join(__dirname, '..', 'fixtures', 'bad-fields.pipeline.yaml');
    expect((await usageError('create', file, '--name', 'nightly', '--every', '1h')).message).toContain(file);
    expect(registry.requests).toEqual([]);
  });

  it('lists schedules as JSON exactly as the registry returned them, and as a table', async () => {
    await slipwaySchedules('create', IRIS_JSON, '--name', 'hourly', '--every', '1h');
    await slipwaySchedules('create', IRIS_JSON, '--name', 'nightly', '--cron', '0 3 * * *');
    await slipwaySchedules('pause', 'nightly');
    printed.length = 0;

    await slipwaySchedules('ls', '--json');
    expect(JSON.parse(printed.join(''))).toEqual([...schedules.values()]);

    printed.length = 0;
    await slipwaySchedules('ls');
    const lines = printed.join('\n').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.find((line) => line.startsWith('nightly'))).toContain('paused');
    expect(lines.find((line) => line.startsWith('hourly'))).toContain('every 1h');
  });

  it('pauses, resumes and removes a schedule by name', async () => {
    await slipwaySchedules('create', IRIS_JSON, '--name', 'nightly', '--cron', '0 3 * * *');
    await slipwaySchedules('pause', 'nightly');
    expect(schedules.get('nightly')?.paused).toBe(true);
    await slipwaySchedules('resume', 'nightly');
    expect(schedules.get('nightly')?.paused).toBe(false);
    await slipwaySchedules('rm', 'nightly');
    expect(schedules.has('nightly')).toBe(false);
    expect(registry.requests.slice(1).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/schedules/nightly/pause',
      'POST /api/schedules/nightly/resume',
      'DELETE /api/schedules/nightly',
    ]);
    expect(printed.at(-1)).toContain('nightly');
  });

  it("reports an unknown schedule with the registry's 404, which main turns into exit code 2", async () => {
    const error = await slipwaySchedules('pause', 'no-such-schedule').then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(RegistryApiError);
    expect(error).toMatchObject({ status: 404, message: expect.stringContaining('no-such-schedule') });
  });
});
