import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSchema, runSummarySchema, type RegisteredModel, type Run, type RunStatus, type RunSummary, type StepStatus } from '@slipway/contracts';
import { Registry } from 'prom-client';
import { DriftAlerts } from '../alerts/drift-alerts';
import { DriftTracker } from '../drift/drift-tracker';
import { LiveAccuracy } from '../feedback/live-accuracy';
import { PlatformMetrics } from '../platform-metrics';
import { RunTracker } from '../runs/run-tracker';
import { DashboardService, type DashboardRegistry } from './dashboard.service';

/** prepare → train over two learning rates (`train[0]`, `train[1]`) → evaluate, all pending, as the registry starts it. */
const gridRun = runSchema.parse(JSON.parse(readFileSync(join(__dirname, 'fixtures/grid-run.json'), 'utf8')));

function runWith(id: string, status: RunStatus, stepStatuses: Record<string, StepStatus>): Run {
  return { ...gridRun, id, status, steps: gridRun.steps.map((step) => ({ ...step, status: stepStatuses[step.name] ?? step.status })) };
}

const allSucceeded = { prepare: 'succeeded', 'train[0]': 'succeeded', 'train[1]': 'succeeded', evaluate: 'succeeded' } as const;

const irisModel: RegisteredModel = {
  name: 'iris',
  createdAt: '2026-11-29T00:00:00.000Z',
  latestVersion: 2,
  aliases: { production: 2 },
  versions: [1, 2].map((version) => ({
    format: 'slipway-tfjs' as const,
    model: 'iris',
    version,
    runId: `run-${version}`,
    datasetDigest: `sha256:${'a'.repeat(64)}`,
    backend: 'wasm',
    metrics: { validation: { task: 'classification', rows: 22, loss: 0.3, accuracy: 0.89 + version / 100 }, test: { task: 'classification', rows: 23, loss: 0.3, accuracy: 0.9 + version / 100 } },
    modelArtifact: { digest: `sha256:${String(version).repeat(64)}`, size: 10, mediaType: 'application/vnd.slipway.tfjs-model.v1+json' },
    transformArtifact: { digest: `sha256:${'b'.repeat(64)}`, size: 10, mediaType: 'application/vnd.slipway.transform.v1+json' },
    aliases: version === 2 ? ['production'] : [],
    createdAt: `2026-11-29T00:0${version}:00.000Z`,
  })),
};

/** The registry's answers, and the runs it was asked for one by one. */
class FakeRegistry implements DashboardRegistry {
  runs: Run[] = [];
  models: RegisteredModel[] = [];
  unreachable: Error | undefined;
  readonly runsFetched: string[] = [];

  async listRuns(): Promise<RunSummary[]> {
    if (this.unreachable) throw this.unreachable;
    return this.runs.map((run) => runSummarySchema.parse(run));
  }

  async getRun(id: string): Promise<Run> {
    this.runsFetched.push(id);
    const run = this.runs.find((candidate) => candidate.id === id);
    if (!run) throw new Error(`no run ${id}`);
    return run;
  }

  async listModels(): Promise<RegisteredModel[]> {
    if (this.unreachable) throw this.unreachable;
    return this.models;
  }
}

describe('DashboardService', () => {
  let registry: FakeRegistry;
  let platform: PlatformMetrics;
  let runTracker: RunTracker;
  let dashboard: DashboardService;

  beforeEach(() => {
    const metrics = new Registry();
    registry = new FakeRegistry();
    platform = new PlatformMetrics(metrics);
    runTracker = new RunTracker(metrics);
    dashboard = new DashboardService({
      platform,
      runTracker,
      drift: new DriftTracker(metrics, { windowRows: 100, policy: {} }),
      live: new LiveAccuracy(metrics, 10),
      alerts: new DriftAlerts(metrics, { submitRun: () => Promise.reject(new Error('no retraining in this test')), logger: { log: () => undefined, warn: () => undefined, error: () => undefined } }),
      registry,
    });
  });

  it("shows the registry's runs and models, with a running training's latest epoch", async () => {
    const run = runWith('run-a', 'running', { prepare: 'succeeded', 'train[0]': 'succeeded', 'train[1]': 'running' });
    registry.runs = [run];
    registry.models = [irisModel];
    runTracker.stepStatusChanged({
      runId: 'run-a',
      pipelineName: run.pipelineName,
      step: 'train[1]',
      pipelineStep: 'train',
      kind: 'train',
      status: 'running',
      at: '2026-11-29T00:59:00.000Z',
      epoch: { epoch: 3, epochs: 5, loss: 0.4, accuracy: 0.8, durationMs: 12 },
    });

    const snapshot = await dashboard.snapshot(new Date('2026-11-29T01:00:00.000Z'));

    expect(snapshot.generatedAt).toBe('2026-11-29T01:00:00.000Z');
    expect(snapshot.registryError).toBeNull();
    expect(snapshot.runs).toEqual([
      {
        id: 'run-a',
        pipelineName: run.pipelineName,
        status: 'running',
        createdAt: run.createdAt,
        steps: { prepare: 'succeeded', 'train[0]': 'succeeded', 'train[1]': 'running', evaluate: 'pending' },
        stepGroups: expect.any(Array),
        epoch: 3,
      },
    ]);
    expect(snapshot.models).toEqual([
      {
        name: 'iris',
        aliases: { production: 2 },
        versions: irisModel.versions.map((v) => ({ version: v.version, createdAt: v.createdAt, headline: { split: 'validation', name: 'accuracy', value: 0.89 + v.version / 100 }, format: 'slipway-tfjs', aliases: v.aliases })),
      },
    ]);
    expect(snapshot.drift.map((report) => report.model)).toEqual(['iris']);
    expect(snapshot.accuracy.map((report) => report.model)).toEqual(['iris']);
  });

  it("groups a grid's trainings into one step, in the run's order, counting rows per status", async () => {
    registry.runs = [
      runWith('run-running', 'running', { prepare: 'cached', 'train[0]': 'succeeded', 'train[1]': 'running' }),
      runWith('run-failed', 'failed', { prepare: 'succeeded', 'train[0]': 'failed', 'train[1]': 'succeeded', evaluate: 'skipped' }),
    ];

    const groups = (await dashboard.snapshot()).runs?.map((run) => run.stepGroups);

    expect(groups).toEqual([
      [
        { step: 'prepare', status: 'cached', rows: 1, statuses: { cached: 1 } },
        { step: 'train', status: 'running', rows: 2, statuses: { succeeded: 1, running: 1 } },
        { step: 'evaluate', status: 'pending', rows: 1, statuses: { pending: 1 } },
      ],
      [
        { step: 'prepare', status: 'succeeded', rows: 1, statuses: { succeeded: 1 } },
        { step: 'train', status: 'failed', rows: 2, statuses: { failed: 1, succeeded: 1 } },
        { step: 'evaluate', status: 'skipped', rows: 1, statuses: { skipped: 1 } },
      ],
    ]);
  });

  it('names the registry error and still shows what monitoring knows itself', async () => {
    registry.unreachable = new Error('registry at http://127.0.0.1:9 unreachable: ECONNREFUSED');
    platform.setQueueCounts('training', { waiting: 2, active: 1, delayed: 0, prioritized: 0, completed: 5, failed: 1 });

    const snapshot = await dashboard.snapshot();

    expect(snapshot.registryError).toBe('registry at http://127.0.0.1:9 unreachable: ECONNREFUSED');
    expect(snapshot.runs).toBeNull();
    expect(snapshot.models).toBeNull();
    expect(snapshot.queues['training']).toMatchObject({ waiting: 2, active: 1, completed: 5, failed: 1 });
  });

  it('reads a finished run from the registry once while it is listed, and again after it dropped out of the list', async () => {
    const finished = runWith('run-done', 'succeeded', allSucceeded);
    const running = runWith('run-live', 'running', { prepare: 'running' });
    registry.runs = [finished, running];

    await dashboard.snapshot();
    await dashboard.snapshot();
    expect(registry.runsFetched.filter((id) => id === 'run-done')).toHaveLength(1);
    expect(registry.runsFetched.filter((id) => id === 'run-live')).toHaveLength(2);

    registry.runs = [running];
    await dashboard.snapshot();
    registry.runs = [finished, running];
    await dashboard.snapshot();
    expect(registry.runsFetched.filter((id) => id === 'run-done')).toHaveLength(2);
  });
});
