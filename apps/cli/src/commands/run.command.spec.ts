import { join } from 'node:path';
import { runSchema, submitRunRequestSchema, type Run } from '@slipway/contracts';
import { CliError, EXIT } from '../cli.error';
import { loadPipelineFile } from '../pipeline-file';
import { capturePrintedOutput } from '../testing/printed-output';
import { RegistryStub } from '../testing/registry-stub';
import { pendingRun, withSteps } from '../testing/run-fixture';
import { runCommand } from './run.command';

const IRIS_GRID = join(__dirname, '..', '..', '..', '..', 'pipelines', 'iris-grid.pipeline.yaml');

describe('slipway run', () => {
  let registry: RegistryStub;
  let url: string;
  let printed: string[];
  /** What GET /api/runs/:id answers: the run as it finished. */
  let finished: (submitted: Run) => Run;

  beforeEach(async () => {
    finished = (submitted) => ({ ...submitted, status: 'succeeded', finishedAt: '2026-11-29T00:01:00.000Z' });
    let submitted: Run | undefined;
    registry = new RegistryStub(({ method, path, body }) => {
      if (method === 'POST' && path === '/api/runs') {
        const request = submitRunRequestSchema.parse(body);
        submitted = { ...pendingRun(request.pipeline, 'run-9'), status: 'queued' };
        return { status: 201, body: submitted };
      }
      if (method === 'GET' && submitted && path === `/api/runs/${submitted.id}`) return { status: 200, body: finished(submitted) };
      return undefined;
    });
    url = await registry.start();
    printed = capturePrintedOutput();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await registry.stop();
  });

  const slipwayRun = (...args: string[]) => runCommand().parseAsync([...args, '--registry', url], { from: 'user' });
  const sent = () => submitRunRequestSchema.parse(registry.requests[0]?.body);

  it('submits the pipeline file as loaded, using the cache everywhere by default', async () => {
    await slipwayRun(IRIS_GRID, '--detach');
    expect(registry.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/runs']);
    expect(sent().pipeline).toEqual(await loadPipelineFile(IRIS_GRID));
    expect(sent().noCache).toBe(false);
    expect(printed).toEqual(['submitted run run-9']);
  });

  it('skips the cache for every step with --no-cache', async () => {
    await slipwayRun(IRIS_GRID, '--detach', '--no-cache');
    expect(sent().noCache).toBe(true);
  });

  it('skips the cache for each step named by a repeated --no-cache-step', async () => {
    await slipwayRun(IRIS_GRID, '--detach', '--no-cache-step', 'train', '--no-cache-step', 'evaluate', '--no-cache-step', 'train');
    expect(sent().noCache).toEqual(['train', 'evaluate']);
  });

  it('refuses a --no-cache-step the pipeline does not have, naming the steps it has, before anything is submitted', async () => {
    const error = await slipwayRun(IRIS_GRID, '--no-cache-step', 'trian').catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    expect((error as CliError).message).toMatch(/--no-cache-step: .*"trian".*prepare, train, evaluate, register, promote/);
    expect(registry.requests).toEqual([]);
  });

  it('follows the run to its end and prints the finished run as JSON with --json', async () => {
    await slipwayRun(IRIS_GRID, '--json');
    expect(registry.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/runs', 'GET /api/runs/run-9']);
    const printedRun = runSchema.parse(JSON.parse(printed.join('')));
    expect(printedRun.status).toBe('succeeded');
    expect(printedRun.steps.map((step) => step.name)).toEqual(['prepare', 'train[0]', 'train[1]', 'train[2]', 'train[3]', 'evaluate', 'register', 'promote']);
  });

  it('fails with exit code 1 when the run fails, after showing its step tree and the reason', async () => {
    finished = (submitted) => ({
      ...withSteps(submitted, { prepare: { status: 'failed', error: 'data/iris.csv: ENOENT' } }),
      status: 'failed',
      error: 'step prepare failed',
    });
    const error = await slipwayRun(IRIS_GRID).catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.runFailed);
    expect((error as CliError).message).toContain('run run-9 failed: step prepare failed');
    expect((error as CliError).message).toContain('slipway runs resume run-9');
    const output = printed.join('\n');
    expect(output).toMatch(/✘ prepare +failed +— data\/iris\.csv: ENOENT/);
    expect(output).toMatch(/train +pending +grid of 4, 2 at a time: 4 pending/);
  });
});
