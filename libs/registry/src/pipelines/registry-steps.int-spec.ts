import { aliasChangedMessageSchema, asTrainedVersion, metricValue, type AliasChangedMessage, type TrainedModel } from '@slipway/contracts';
import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { completePrepare, completeTrain, gridPipelineFixture, pipelineSpecFixture, preparedDatasetRefFixture, trainedModelFixture } from '../fixtures/registry-fixtures';
import { manualClock, openTestDatabase, TEST_DATABASE_KINDS, type ManualClock, type TestDatabase } from '../fixtures/test-database';
import { ModelRegistryService } from '../models/model-registry.service';
import { SqlModelStore } from '../models/sql/sql-model-store';
import { RunService } from '../runs/run.service';
import { SqlRunStore } from '../runs/sql/sql-run-store';
import { RegistrySteps } from './registry-steps';
import { unprotectedRunAuthority } from '../fixtures/run-authorities';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(TEST_DATABASE_KINDS)('RegistrySteps on a %s database', (kind) => {
  let database: TestDatabase;
  let time: ManualClock;
  let aliasMessages: AliasChangedMessage[];
  let runs: RunService;
  let registry: ModelRegistryService;
  let steps: RegistrySteps;

  beforeEach(async () => {
    database = await openTestDatabase(kind, postgres);
    time = manualClock();
    aliasMessages = [];
    runs = new RunService(new SqlRunStore(database.db), { clock: time.clock });
    registry = new ModelRegistryService(new SqlModelStore(database.db), {
      clock: time.clock,
      onAliasChanged: (message) => void aliasMessages.push(aliasChangedMessageSchema.parse(message)),
    });
    steps = new RegistrySteps(runs, registry, unprotectedRunAuthority());
  });

  afterEach(() => database.close());

  /** A grid run whose trainings finished with the given test accuracies (and test loss 1 - accuracy). */
  async function trainedGrid(accuracies: number[]): Promise<{ runId: string; trained: TrainedModel[] }> {
    const { id } = await runs.createRun(gridPipelineFixture({ learningRates: accuracies.map((_, i) => (i + 1) / 100) }));
    await completePrepare(runs, id, 'prepare', preparedDatasetRefFixture());
    const trained = accuracies.map((testAccuracy, i) => trainedModelFixture({ label: `${id}/${i}`, testAccuracy }));
    for (const [i, model] of trained.entries()) await completeTrain(runs, id, `train[${i}]`, model);
    return { runId: id, trained };
  }

  /** A shorthand run trained to the accuracy, with its register step done by RegistrySteps as its job would. */
  async function registeredRun(testAccuracy: number): Promise<{ runId: string; version: number }> {
    time.advance(1_000);
    const { id } = await runs.createRun(pipelineSpecFixture());
    const trained = trainedModelFixture({ label: id, testAccuracy });
    await completeTrain(runs, id, 'train', trained);
    const registered = await steps.register({ runId: id, step: 'register', modelName: 'iris', from: 'train' });
    await runs.completeStep(id, 'register', {
      status: 'succeeded',
      output: { ...registered, metrics: trained.metrics, trainStep: 'train' },
      cacheKey: null,
      components: null,
      cachedFrom: null,
    });
    return { runId: id, version: registered.version };
  }

  describe('evaluate', () => {
    it('picks the candidate with the highest accuracy, reporting every score', async () => {
      const { runId, trained } = await trainedGrid([0.81, 0.97, 0.9]);
      const candidates = ['train[0]', 'train[1]', 'train[2]'];

      const result = await steps.evaluate({ runId, step: 'pick', candidates, metric: 'testAccuracy', goal: 'max' });

      expect(result).toEqual({
        best: 'train[1]',
        metric: 'testAccuracy',
        value: trained[1] === undefined ? undefined : metricValue(trained[1].metrics, 'test.accuracy'),
        scores: Object.fromEntries(candidates.map((name, i) => [name, trained[i] === undefined ? undefined : metricValue(trained[i].metrics, 'test.accuracy')])),
      });
    });

    it('picks the lowest loss when the goal is min, and the first listed on a tie', async () => {
      const { runId } = await trainedGrid([0.9, 0.95, 0.95]);
      const byLoss = await steps.evaluate({ runId, step: 'pick', candidates: ['train[0]', 'train[1]', 'train[2]'], metric: 'testLoss', goal: 'min' });
      expect(byLoss.best).toBe('train[1]');
      const tied = await steps.evaluate({ runId, step: 'pick', candidates: ['train[2]', 'train[1]'], metric: 'testAccuracy', goal: 'max' });
      expect(tied.best).toBe('train[2]');
    });

    it('names a candidate the run lacks, or one that produced no model', async () => {
      const { runId } = await trainedGrid([0.9]);
      await expect(steps.evaluate({ runId, step: 'pick', candidates: ['train[7]'], metric: 'testAccuracy', goal: 'max' })).rejects.toThrow(/has no step "train\[7\]"/);
      await expect(steps.evaluate({ runId, step: 'pick', candidates: ['prepare'], metric: 'testAccuracy', goal: 'max' })).rejects.toThrow(/"prepare".*produced no model/);
    });
  });

  describe('register', () => {
    it("registers the candidate's model as a version of the run, and the same version when retried", async () => {
      const { runId, trained } = await trainedGrid([0.81, 0.97]);
      const job = { runId, step: 'register', modelName: 'iris', from: 'train[1]' };

      const first = await steps.register(job);
      const retried = await steps.register(job);

      expect(first).toEqual({ modelName: 'iris', version: 1 });
      expect(retried).toEqual(first);
      expect(await registry.getVersion('iris', 1)).toMatchObject({
        runId,
        modelArtifact: trained[1]?.model,
        metrics: trained[1]?.metrics,
        datasetDigest: trained[1]?.sourceDigest,
      });
      expect((await registry.getModel('iris')).versions).toHaveLength(1);
    });

    it('registers the model an evaluation picked', async () => {
      const { runId, trained } = await trainedGrid([0.81, 0.97]);
      const evaluation = await steps.evaluate({ runId, step: 'pick', candidates: ['train[0]', 'train[1]'], metric: 'testAccuracy', goal: 'max' });
      const picked = trained[1];
      if (picked === undefined) throw new Error('two trainings expected');
      await runs.completeStep(runId, 'pick', { status: 'succeeded', output: { ...evaluation, model: picked }, cacheKey: null, components: null, cachedFrom: null });

      const result = await steps.register({ runId, step: 'register', modelName: 'iris', from: 'pick' });
      expect((await registry.getVersion('iris', result.version)).modelArtifact).toEqual(picked.model);
    });
  });

  describe('promote', () => {
    it("moves the alias to the run's version as the run, reporting the version it replaced", async () => {
      const first = await registeredRun(0.9);
      const second = await registeredRun(0.95);

      const promotedFirst = await steps.promote({ runId: first.runId, step: 'promote', alias: 'production', from: 'register' });
      time.advance(60_000);
      const promotedSecond = await steps.promote({ runId: second.runId, step: 'promote', alias: 'production', from: 'register' });

      expect(promotedFirst).toEqual({ modelName: 'iris', version: first.version, alias: 'production', previousVersion: null });
      expect(promotedSecond).toEqual({ modelName: 'iris', version: second.version, alias: 'production', previousVersion: first.version });
      expect(asTrainedVersion(await registry.resolveAlias('iris', 'production')).runId).toBe(second.runId);
      expect((await registry.aliasHistory('iris')).map((h) => [h.fromVersion, h.toVersion, h.actor])).toEqual([
        [first.version, second.version, `run:${second.runId}`],
        [null, first.version, `run:${first.runId}`],
      ]);
      expect(aliasMessages).toHaveLength(2);
    });

    it('is safe to retry: the alias stays, with no second audit row or message, and the version it replaced is still reported', async () => {
      const first = await registeredRun(0.8);
      await steps.promote({ runId: first.runId, step: 'promote', alias: 'production', from: 'register' });
      const { runId, version } = await registeredRun(0.9);
      const job = { runId, step: 'promote', alias: 'production', from: 'register' };
      const promoted = await steps.promote(job);
      const retried = await steps.promote(job);

      expect(retried).toEqual(promoted);
      expect(retried).toEqual({ modelName: 'iris', version, alias: 'production', previousVersion: first.version });
      expect(await registry.aliasHistory('iris')).toHaveLength(2);
      expect(aliasMessages).toHaveLength(2);
    });

    it('reports the version itself as the one replaced when the alias already pointed at it', async () => {
      const { runId, version } = await registeredRun(0.9);
      await registry.setAlias('iris', 'production', version, 'alice');
      const promoted = await steps.promote({ runId, step: 'promote', alias: 'production', from: 'register' });
      expect(promoted).toEqual({ modelName: 'iris', version, alias: 'production', previousVersion: version });
    });
  });
});
