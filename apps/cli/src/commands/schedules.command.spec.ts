import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createScheduleRequestSchema, scheduleSchema, type Schedule } from '@slipway/contracts';
import { RegistryApiError } from '@slipway/registry-client';
import { CliError, EXIT } from '../cli.error';
import { loadPipelineFile } from '../pipeline-file';
import { schedulesCommand } from './schedules.command';

const IRIS_JSON = join(__dirname, '..', '..', '..', '..', 'pipelines', 'iris.pipeline.json');

interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

/**
 * A registry that answers the schedule routes from a map, as the real one would, and records every request:
 * enough to see what the command sends and prints, without Redis or a database.
 */
class ScheduleRegistryStub {
  readonly requests: Recorded[] = [];
  readonly schedules = new Map<string, Schedule>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    this.requests.push({ method, path, body });
    const send = (status: number, value?: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(value === undefined ? undefined : JSON.stringify(value));
    };
    if (method === 'POST' && path === '/api/schedules') {
      const created = this.fromRequest(body);
      this.schedules.set(created.name, created);
      return send(201, created);
    }
    if (method === 'GET' && path === '/api/schedules') return send(200, { schedules: [...this.schedules.values()] });
    const [, name, action] = /^\/api\/schedules\/([^/]+)(?:\/(pause|resume))?$/.exec(path) ?? [];
    const existing = name === undefined ? undefined : this.schedules.get(decodeURIComponent(name));
    if (existing === undefined) return send(404, { error: `schedule "${name}" does not exist` });
    if (method === 'DELETE') {
      this.schedules.delete(existing.name);
      return send(204);
    }
    if (method === 'POST' && action !== undefined) {
      const changed = { ...existing, paused: action === 'pause', nextRunAt: action === 'pause' ? null : '2025-06-02T01:00:00.000Z' };
      this.schedules.set(changed.name, changed);
      return send(200, changed);
    }
    return send(404, { error: `no route ${method} ${path}` });
  }

  private fromRequest(body: unknown): Schedule {
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
    });
  }
}

describe('slipway schedules', () => {
  let registry: ScheduleRegistryStub;
  let url: string;
  let printed: string[];

  beforeEach(async () => {
    registry = new ScheduleRegistryStub();
    url = await registry.start();
    printed = [];
    jest.spyOn(console, 'log').mockImplementation((...values: unknown[]) => void printed.push(values.join(' ')));
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0);
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
    expect(scheduleSchema.parse(JSON.parse(printed.join('')))).toEqual(registry.schedules.get('nightly'));
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
    expect(JSON.parse(printed.join(''))).toEqual([...registry.schedules.values()]);

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
    expect(registry.schedules.get('nightly')?.paused).toBe(true);
    await slipwaySchedules('resume', 'nightly');
    expect(registry.schedules.get('nightly')?.paused).toBe(false);
    await slipwaySchedules('rm', 'nightly');
    expect(registry.schedules.has('nightly')).toBe(false);
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
