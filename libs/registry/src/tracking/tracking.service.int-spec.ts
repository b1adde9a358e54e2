import { runComparisonSchema, runSearchQuerySchema, runTrackingSchema, trackedRunSummarySchema, type RunSearch } from '@slipway/contracts';
import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { RunNotFoundError } from '../errors/run-not-found.error';
import { epochHistoryFixture, pipelineSpecFixture, trainedModelFixture } from '../fixtures/registry-fixtures';
import { manualClock, openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from '../fixtures/test-database';
import { RunService } from '../runs/run.service';
import { RunParamConflictError } from './run-param-conflict.error';
import { TrackingService } from './tracking.service';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

/** Parses a query string the way the HTTP layer receives it (Fastify uses node's querystring semantics). */
function search(query: string): RunSearch {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const existing = params[key];
    params[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return runSearchQuerySchema.parse(params);
}

describe.each(TEST_DATABASE_KINDS)('TrackingService on a %s database', (kind) => {
  let database: TestDatabase;
  let time: ReturnType<typeof manualClock>;
  let runs: RunService;
  let tracking: TrackingService;

  beforeEach(async () => {
    database = await openTestDatabase(kind, postgres);
    time = manualClock();
    runs = new RunService(database.db, { clock: time.clock });
    tracking = new TrackingService(database.db);
  });

  afterEach(() => database.close());

  async function finishedRun(testAccuracy: number, experiment = 'default') {
    time.advance(1_000);
    const spec = pipelineSpecFixture();
    const { id } = await runs.createRun({ ...spec, model: { ...spec.model, spec: { ...spec.model.spec, learningRate: testAccuracy / 10 } } }, { experiment });
    await runs.recordTrainedModel(id, trainedModelFixture({ label: id, testAccuracy }));
    return id;
  }

  it('files runs under their experiment, `default` unless named, and lists experiments with counts', async () => {
    const a = await finishedRun(0.9);
    await finishedRun(0.8, 'tuning');
    const last = await finishedRun(0.7, 'tuning');

    expect((await tracking.getTracking(a)).experiment).toBe('default');
    const experiments = await tracking.listExperiments();
    expect(experiments.map((e) => [e.name, e.runCount])).toEqual([
      ['default', 1],
      ['tuning', 2],
    ]);
    expect(experiments[1]?.lastRunAt).toBe((await runs.getRun(last)).createdAt);
  });

  it('stores the resolved pipeline as write-once params: the same value again is fine, another is a conflict', async () => {
    const spec = pipelineSpecFixture();
    const { id } = await runs.createRun(spec);
    const { params } = await tracking.getTracking(id);
    expect(params['model.spec.learningRate']).toBe(String(spec.model.spec.learningRate));
    expect(params['model.spec.layers.0.units']).toBe(String(spec.model.spec.layers[0]?.type === 'dense' ? spec.model.spec.layers[0].units : ''));
    expect(params['promotion.alias']).toBe(spec.promotion.alias);

    const logged = await tracking.logParams(id, { seed: '42', 'model.spec.learningRate': String(spec.model.spec.learningRate) });
    expect(logged.seed).toBe('42');
    await expect(tracking.logParams(id, { seed: '42' })).resolves.toMatchObject({ seed: '42' });

    const conflict = tracking.logParams(id, { extra: 'x', seed: '43' });
    await expect(conflict).rejects.toThrow(RunParamConflictError);
    await expect(conflict).rejects.toThrow(/param "seed" of run ".*" is already set to "42"/);
    // Nothing of a refused batch is written.
    expect((await tracking.getTracking(id)).params.extra).toBeUndefined();
  });

  it('keeps the full metric history with steps and timestamps, from epochs, test metrics and batches', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    await runs.markStepStarted(id, 'train', 1);
    for (const epoch of epochHistoryFixture(2)) {
      time.advance(100);
      await runs.recordEpoch(id, { ...epoch, backend: 'cpu' });
    }
    const liveLoss = await tracking.metricHistory(id, 'loss');
    expect(liveLoss.map((p) => p.step)).toEqual([1, 2]);
    expect(liveLoss[0]?.timestamp).not.toBe(liveLoss[1]?.timestamp);

    const trained = trainedModelFixture({ label: id, testAccuracy: 0.93, epochs: 3 });
    time.advance(100);
    await runs.recordTrainedModel(id, trained);
    await tracking.logMetrics(id, [
      { key: 'f1', value: 0.5, step: 1, timestamp: '2025-06-01T12:10:00.000Z' },
      { key: 'f1', value: 0.7, step: 2, timestamp: '2025-06-01T12:11:00.000Z' },
      { key: 'f1', value: 0.6, step: 1, timestamp: '2025-06-01T12:12:00.000Z' },
    ]);

    const loss = await tracking.metricHistory(id, 'loss');
    expect(loss.map((p) => [p.step, p.value])).toEqual(trained.history.map((e) => [e.epoch, e.loss]));
    // Epochs seen live keep the time they ended; the final history only adds what was missed.
    expect(loss.slice(0, 2).map((p) => p.timestamp)).toEqual(liveLoss.map((p) => p.timestamp));
    expect(await tracking.metricHistory(id, 'f1')).toEqual([
      { key: 'f1', value: 0.6, step: 1, timestamp: '2025-06-01T12:12:00.000Z' },
      { key: 'f1', value: 0.7, step: 2, timestamp: '2025-06-01T12:11:00.000Z' },
    ]);
    const all = await tracking.metricHistory(id);
    expect(new Set(all.map((p) => p.key))).toEqual(new Set(['accuracy', 'f1', 'loss', 'testAccuracy', 'testLoss', 'testRows', 'valAccuracy', 'valLoss']));

    const { latestMetrics, system } = runTrackingSchema.parse(await tracking.getTracking(id));
    expect(latestMetrics).toMatchObject({ testAccuracy: 0.93, f1: 0.7, loss: trained.history.at(-1)?.loss });
    expect(system).toMatchObject({ backend: trained.backend, trainingDurationMs: trained.trainingDurationMs, samplesPerSecond: trained.samplesPerSecond, peakMemoryBytes: null });
  });

  it('sets and removes run tags, and records host and peak memory when the trainer reports them', async () => {
    const { id } = await runs.createRun(pipelineSpecFixture());
    expect(await tracking.patchTags(id, { owner: 'alice', purpose: 'baseline' })).toEqual({ owner: 'alice', purpose: 'baseline' });
    expect(await tracking.patchTags(id, { purpose: null, owner: 'bob' })).toEqual({ owner: 'bob' });

    const bigPeak = 6 * 1024 ** 3; // beyond 32 bits
    const updated = await tracking.updateSystemInfo(id, { host: 'trainer-0', peakMemoryBytes: bigPeak });
    expect(updated.system).toMatchObject({ host: 'trainer-0', peakMemoryBytes: bigPeak });
    expect((await tracking.updateSystemInfo(id, {})).system.host).toBe('trainer-0');
  });

  it('searches by experiment, status, tag and metric, ordered by a metric with runs lacking it last', async () => {
    const low = await finishedRun(0.6, 'tuning');
    const high = await finishedRun(0.97, 'tuning');
    const mid = await finishedRun(0.9, 'tuning');
    const other = await finishedRun(0.99, 'other');
    time.advance(1_000);
    const untrained = (await runs.createRun(pipelineSpecFixture(), { experiment: 'tuning' })).id;
    await tracking.patchTags(mid, { team: 'vision' });
    await tracking.patchTags(high, { team: 'vision' });
    await tracking.patchTags(low, { team: 'nlp' });

    const ids = async (query: string) => (await tracking.searchRuns(search(query))).map((r) => r.id);
    expect(await ids('experiment=tuning&orderBy=metric.testAccuracy&order=desc')).toEqual([high, mid, low, untrained]);
    expect(await ids('experiment=tuning&orderBy=metric.testAccuracy&order=asc')).toEqual([low, mid, high, untrained]);
    expect(await ids('metric.testAccuracy>=0.9&orderBy=metric.testAccuracy')).toEqual([other, high, mid]);
    expect(await ids('metric.testAccuracy>0.9&metric.testAccuracy<0.99&order=asc&orderBy=metric.testAccuracy')).toEqual([high]);
    expect(await ids('metric.testAccuracy!=0.9&tag.team=vision')).toEqual([high]);
    expect(await ids('tag.team=vision&orderBy=createdAt&order=asc')).toEqual([high, mid]);
    await runs.markStepStarted(other, 'prepare', 1);
    expect(await ids('status=running')).toEqual([other]);
    expect(await ids('status=queued&orderBy=createdAt&order=asc')).toEqual([low, high, mid, untrained]);
    expect(await ids('experiment=tuning&limit=2')).toEqual([untrained, mid]);
    // Values are bound, never SQL: a quote in a tag value just matches nothing.
    expect(await ids("tag.team=vision' or '1'='1")).toEqual([]);

    const [first] = await tracking.searchRuns(search('experiment=other'));
    expect(trackedRunSummarySchema.parse(first)).toEqual(first);
    expect(first).toMatchObject({ id: other, experiment: 'other', tags: {}, latestMetrics: { testAccuracy: 0.99 } });
  });

  it('compares runs side by side: shared and differing params, and a metrics table', async () => {
    const a = await finishedRun(0.8);
    const b = await finishedRun(0.9);
    const { id: c } = await runs.createRun(pipelineSpecFixture());
    await tracking.logParams(a, { note: 'only-a' });

    const comparison = runComparisonSchema.parse(await tracking.compareRuns([b, a, c]));
    expect(comparison.runs.map((r) => r.id)).toEqual([b, a, c]);
    expect(comparison.params.different['model.spec.learningRate']).toEqual({ [a]: '0.08', [b]: '0.09', [c]: '0.01' });
    expect(comparison.params.different.note).toEqual({ [a]: 'only-a', [b]: null, [c]: null });
    expect(comparison.params.same['dataset.labelColumn']).toBe('species');
    expect(comparison.metrics.testAccuracy).toEqual({ [a]: 0.8, [b]: 0.9, [c]: null });

    await expect(tracking.compareRuns([a, 'run-missing'])).rejects.toThrow(RunNotFoundError);
  });

  it('names the missing run', async () => {
    await expect(tracking.logMetrics('run-missing', [{ key: 'x', value: 1, step: 0, timestamp: '2025-06-01T12:00:00.000Z' }])).rejects.toThrow(/run-missing/);
    await expect(tracking.patchTags('run-missing', { a: 'b' })).rejects.toThrow(RunNotFoundError);
    await expect(tracking.logParams('run-missing', { a: 'b' })).rejects.toThrow(RunNotFoundError);
    await expect(tracking.getTracking('run-missing')).rejects.toThrow(RunNotFoundError);
    await expect(tracking.metricHistory('run-missing')).rejects.toThrow(RunNotFoundError);
  });
});
