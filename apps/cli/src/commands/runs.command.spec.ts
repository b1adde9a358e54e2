import { cacheExplanationSchema, runSchema, type CacheExplanation, type Run } from '@slipway/contracts';
import { RegistryApiError } from '@slipway/registry-client';
import { CommanderError } from 'commander';
import { CliError, EXIT } from '../cli.error';
import { exitCodeOf } from '../exit-code';
import { capturePrintedOutput } from '../testing/printed-output';
import { RegistryStub } from '../testing/registry-stub';
import { gridPipeline, pendingRun, withSteps } from '../testing/run-fixture';
import { runsCommand } from './runs.command';

const PIPELINE = gridPipeline({ learningRate: [0.01, 0.03] });

/** A run whose second training failed: what `runs resume` is for. */
const failedRun: Run = {
  ...withSteps(pendingRun(PIPELINE, 'run-3'), {
    prepare: { status: 'succeeded', durationMs: 30 },
    'train[0]': { status: 'succeeded', durationMs: 900, metrics: { validation: null, test: { task: 'classification', rows: 30, loss: 0.2, accuracy: 0.93 } } },
    'train[1]': { status: 'failed', attempts: 3, error: 'worker crashed' },
    evaluate: { status: 'skipped', error: 'train[1] failed' },
  }),
  status: 'failed',
  error: 'step train[1] failed',
};

const missExplanation: CacheExplanation = {
  runId: 'run-3',
  step: 'train[1]',
  kind: 'train',
  status: 'failed',
  cacheable: true,
  bypassed: null,
  key: 'sha256:new',
  components: {
    kind: 'train',
    codeVersion: 'train-model/1',
    params: { model: { layers: [{ type: 'dense', units: 8, activation: 'relu' }], learningRate: 0.03, epochs: 30 } },
    inputs: { dataset: 'sha256:data' },
  },
  hit: null,
  nearest: {
    runId: 'run-2',
    step: 'train[1]',
    key: 'sha256:old',
    differences: [
      { part: 'params.model.learningRate', was: '0.1', now: '0.03' },
      { part: 'inputs.dataset', was: 'sha256:olddata', now: 'sha256:data' },
    ],
  },
  summary: 'miss: compared with run run-2, params.model.learningRate, inputs.dataset differ',
};

describe('slipway runs', () => {
  let registry: RegistryStub;
  let url: string;
  let printed: string[];
  /** What the registry holds for run-3, and answers to GET after a resume. */
  let stored: Run;
  let resumable: boolean;
  let explanation: CacheExplanation;

  beforeEach(async () => {
    stored = failedRun;
    resumable = true;
    explanation = missExplanation;
    registry = new RegistryStub(({ method, path }) => {
      if (method === 'POST' && path === '/api/runs/run-3/resume') {
        if (!resumable) return { status: 409, body: { error: 'run "run-3" is running; only a failed run can be resumed' } };
        return { status: 200, body: { ...failedRun, status: 'queued', resumes: failedRun.resumes + 1 } };
      }
      if (method === 'GET' && path === '/api/runs/run-3') return { status: 200, body: stored };
      if (method === 'GET' && path === '/api/runs/run-3/steps/train[1]/cache') return { status: 200, body: explanation };
      if (method === 'GET' && path.startsWith('/api/runs/run-3/steps/')) return { status: 404, body: { error: 'run "run-3" has no step' } };
      if (method === 'GET' && path.startsWith('/api/runs/')) return { status: 404, body: { error: 'no such run' } };
      return undefined;
    });
    url = await registry.start();
    printed = capturePrintedOutput();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await registry.stop();
  });

  const slipwayRuns = (...args: string[]) => runsCommand().parseAsync([...args, '--registry', url], { from: 'user' });
  const rejectionOf = (...args: string[]) => slipwayRuns(...args).then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  const requested = () => registry.requests.map((r) => `${r.method} ${r.path}`);

  describe('resume', () => {
    it('resumes the run and follows it to success', async () => {
      stored = { ...withSteps(failedRun, { 'train[1]': { status: 'succeeded', attempts: 4, durationMs: 800, error: null }, evaluate: { status: 'succeeded', error: null } }), status: 'succeeded', resumes: 1, error: null };
      await slipwayRuns('resume', 'run-3');
      expect(requested()).toEqual(['POST /api/runs/run-3/resume', 'GET /api/runs/run-3']);
      const output = printed.join('\n');
      expect(output).toContain('run run-3 resumed');
      expect(output).toMatch(/run run-3 \(iris-grid\): succeeded/);
      expect(output).toContain('resumed 1×');
    });

    it('fails with exit code 1 when the resumed run fails again', async () => {
      const error = await rejectionOf('resume', 'run-3');
      expect(error).toBeInstanceOf(CliError);
      expect(exitCodeOf(error)).toBe(EXIT.runFailed);
      expect((error as CliError).message).toContain('run run-3 failed: step train[1] failed');
      expect(printed.join('\n')).toMatch(/✘ train\[1\] +failed +learningRate=0\.03 +attempt 3 +— worker crashed/);
    });

    it('returns at once with --detach, printing the resumed run as JSON with --json', async () => {
      await slipwayRuns('resume', 'run-3', '--detach', '--json');
      expect(requested()).toEqual(['POST /api/runs/run-3/resume']);
      expect(runSchema.parse(JSON.parse(printed.join('')))).toMatchObject({ id: 'run-3', status: 'queued', resumes: 1 });
    });

    it("passes on the registry's 409 for a run that has not failed, which exits with code 2", async () => {
      resumable = false;
      const error = await rejectionOf('resume', 'run-3');
      expect(error).toBeInstanceOf(RegistryApiError);
      expect((error as RegistryApiError).message).toContain('only a failed run can be resumed');
      expect(exitCodeOf(error)).toBe(EXIT.usage);
    });

    it('refuses a missing run id as a usage error', async () => {
      jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const error = await rejectionOf('resume');
      expect(error).toBeInstanceOf(CommanderError);
      expect(registry.requests).toEqual([]);
    });
  });

  describe('explain', () => {
    it('asks for the step by its row name and prints the explanation as the registry gave it with --json', async () => {
      await slipwayRuns('explain', 'run-3', 'train[1]', '--json');
      expect(requested()).toEqual(['GET /api/runs/run-3/steps/train[1]/cache']);
      expect(cacheExplanationSchema.parse(JSON.parse(printed.join('')))).toEqual(missExplanation);
    });

    it('prints the summary, the key and its parts, and what differs from the nearest earlier entry', async () => {
      await slipwayRuns('explain', 'run-3', 'train[1]');
      const text = printed.join('\n');
      const lines = text.split('\n');
      expect(lines[0]).toBe(`train[1] of run run-3 (train, failed): ${missExplanation.summary}`);
      expect(text).toMatch(/key +sha256:new/);
      expect(text).toMatch(/code version +train-model\/1/);
      expect(text).toMatch(/model\.learningRate +=? *0\.03/);
      expect(text).toMatch(/model\.layers\.0\.units +=? *8/);
      expect(text).toMatch(/inputs +dataset +sha256:data/);
      expect(text).toMatch(/nearest +run-2\/train\[1\] \(key sha256:old\)/);
      expect(text).toMatch(/params\.model\.learningRate +was 0\.1 +now 0\.03/);
      expect(text).toMatch(/inputs\.dataset +was sha256:olddata +now sha256:data/);
    });

    it('names the source of a hit', async () => {
      explanation = {
        ...missExplanation,
        status: 'cached',
        nearest: null,
        hit: { runId: 'run-2', step: 'train[1]', at: '2026-11-28T10:00:00.000Z' },
        summary: 'hit: reused the outputs step "train[1]" of run run-2 produced from identical inputs',
      };
      await slipwayRuns('explain', 'run-3', 'train[1]');
      expect(printed.join('\n')).toMatch(/hit +run-2\/train\[1\], cached at 2026-11-28T10:00:00\.000Z/);
    });

    it("lists the run's steps when the step is unknown — a grid step is explained training by training", async () => {
      const error = await rejectionOf('explain', 'run-3', 'train');
      expect(error).toBeInstanceOf(CliError);
      expect(exitCodeOf(error)).toBe(EXIT.usage);
      expect((error as CliError).message).toBe('run run-3 has no step "train"; its steps: prepare, train[0], train[1], evaluate');
    });

    it("passes on the registry's 404 for an unknown run", async () => {
      const error = await rejectionOf('explain', 'run-404', 'train');
      expect(error).toBeInstanceOf(RegistryApiError);
      expect((error as RegistryApiError).status).toBe(404);
      expect(requested()).toEqual(['GET /api/runs/run-404/steps/train/cache', 'GET /api/runs/run-404']);
    });
  });
});
