import { aliasChangedMessageSchema, asTrainedVersion, modelVersionSchema, registeredModelSchema, type AliasChangedMessage } from '@slipway/contracts';
import { AliasNotFoundError } from '../errors/alias-not-found.error';
import { ModelNotFoundError } from '../errors/model-not-found.error';
import { ModelVersionNotFoundError } from '../errors/model-version-not-found.error';
import { RegistryNotFoundError } from '../errors/registry-not-found.error';
import { trainedModelFixture } from '../fixtures/registry-fixtures';
import { manualClock, type PostgresDatabaseSource } from '../fixtures/test-database';
import { openTestStores, type TestStoreKind, type TestStores } from '../fixtures/test-stores';
import { ModelRegistryService } from './model-registry.service';

/**
 * Registered models, versions and aliases through ModelRegistryService over the model store of `kind`: the same
 * scenarios on every SQL database (model-registry.service.int-spec.ts) and in memory (model-registry.service.spec.ts).
 */
export function describeModelRegistry(kind: TestStoreKind, postgres: () => PostgresDatabaseSource | undefined = () => undefined): void {
  let stores: TestStores;
  let time: ReturnType<typeof manualClock>;
  let aliasMessages: AliasChangedMessage[];
  let registry: ModelRegistryService;

  beforeEach(async () => {
    time = manualClock();
    stores = await openTestStores(kind, time.clock, postgres());
    aliasMessages = [];
    registry = new ModelRegistryService(stores.models, {
      clock: time.clock,
      onAliasChanged: (message) => void aliasMessages.push(aliasChangedMessageSchema.parse(message)),
    });
  });

  afterEach(() => stores.close());

  async function register(modelName: string, runId: string, testAccuracy = 0.95) {
    time.advance(1_000);
    return registry.registerVersion({ modelName, runId, trained: trainedModelFixture({ label: runId, testAccuracy }) });
  }

  describe('registerVersion', () => {
    it('creates the model on its first version and stores the trained model as lineage', async () => {
      const trained = trainedModelFixture({ label: 'run-a', testAccuracy: 0.91 });
      const version = await registry.registerVersion({ modelName: 'iris', runId: 'run-a', trained });

      expect(modelVersionSchema.parse(version)).toEqual(version);
      expect(version).toEqual({
        format: 'slipway-tfjs',
        model: 'iris',
        version: 1,
        runId: 'run-a',
        datasetDigest: trained.sourceDigest,
        backend: trained.backend,
        metrics: trained.metrics,
        modelArtifact: trained.model,
        transformArtifact: trained.transform,
        aliases: [],
        createdAt: time.clock().toISOString(),
        description: null,
        tags: {},
      });
      const model = await registry.getModel('iris');
      expect(model).toMatchObject({ name: 'iris', createdAt: version.createdAt, latestVersion: 1, aliases: {} });
    });

    it('numbers versions per model and returns the existing version when the same run registers again', async () => {
      const first = await register('iris', 'run-a');
      const second = await register('iris', 'run-b');
      const otherModel = await register('wine', 'run-c');
      const again = await register('iris', 'run-a');

      expect([first.version, second.version, otherModel.version]).toEqual([1, 2, 1]);
      expect(again).toEqual(first);
      expect((await registry.getModel('iris')).versions.map(asTrainedVersion).map((v) => [v.version, v.runId])).toEqual([
        [2, 'run-b'],
        [1, 'run-a'],
      ]);
    });

    it('gives concurrent registrations of different runs distinct consecutive versions, and a racing duplicate the same one', async () => {
      const runIds = Array.from({ length: 8 }, (_, i) => `run-${i}`);
      const versions = await Promise.all([...runIds, 'run-3', 'run-5'].map((runId) => register('iris', runId)));

      const byRun = new Map<string, number>();
      for (const v of versions) {
        expect(byRun.get(v.runId) ?? v.version).toBe(v.version);
        byRun.set(v.runId, v.version);
      }
      expect([...byRun.values()].sort((a, b) => a - b)).toEqual(runIds.map((_, i) => i + 1));
      expect((await registry.getModel('iris')).latestVersion).toBe(runIds.length);
    });
  });

  describe('aliases', () => {
    it('moves an alias, audits each move with from/to and actor, and reports each change once after commit', async () => {
      await register('iris', 'run-a');
      await register('iris', 'run-b');

      const first = await registry.setAlias('iris', 'production', 1, 'alice');
      expect(first.aliases).toEqual(['production']);
      time.advance(60_000);
      const moved = await registry.setAlias('iris', 'production', 2, 'bob');

      expect(moved).toMatchObject({ version: 2, aliases: ['production'] });
      expect((await registry.getVersion('iris', 1)).aliases).toEqual([]);
      expect((await registry.resolveAlias('iris', 'production')).version).toBe(2);
      expect((await registry.getModel('iris')).aliases).toEqual({ production: 2 });

      const history = await registry.aliasHistory('iris');
      expect(history.map((h) => [h.alias, h.fromVersion, h.toVersion, h.actor])).toEqual([
        ['production', 1, 2, 'bob'],
        ['production', null, 1, 'alice'],
      ]);
      expect(history[0]?.at).toBe(time.clock().toISOString());
      expect(aliasMessages).toEqual([
        { model: 'iris', alias: 'production', version: 1, previousVersion: null, at: history[1]?.at },
        { model: 'iris', alias: 'production', version: 2, previousVersion: 1, at: history[0]?.at },
      ]);
    });

    it('does nothing when the alias already points at the version: no audit row, no message', async () => {
      await register('iris', 'run-a');
      await registry.setAlias('iris', 'staging', 1);
      const before = { history: await registry.aliasHistory('iris'), messages: aliasMessages.length };

      const again = await registry.setAlias('iris', 'staging', 1, 'someone-else');

      expect(again.aliases).toEqual(['staging']);
      expect(await registry.aliasHistory('iris')).toEqual(before.history);
      expect(aliasMessages).toHaveLength(before.messages);
    });

    it('records the default actor as system', async () => {
      await register('iris', 'run-a');
      await registry.setAlias('iris', 'staging', 1);
      expect((await registry.aliasHistory('iris'))[0]?.actor).toBe('system');
    });

    it('deletes an alias with an audit row and a message carrying version null', async () => {
      await register('iris', 'run-a');
      await registry.setAlias('iris', 'staging', 1);
      await registry.deleteAlias('iris', 'staging', 'carol');

      await expect(registry.resolveAlias('iris', 'staging')).rejects.toThrow(AliasNotFoundError);
      expect((await registry.getModel('iris')).aliases).toEqual({});
      expect((await registry.aliasHistory('iris'))[0]).toMatchObject({ alias: 'staging', fromVersion: 1, toVersion: null, actor: 'carol' });
      expect(aliasMessages.at(-1)).toMatchObject({ model: 'iris', alias: 'staging', version: null, previousVersion: 1 });
      await expect(registry.deleteAlias('iris', 'staging')).rejects.toThrow(AliasNotFoundError);
    });

    it('lists, for one alias, the version each model has it on — what serving loads', async () => {
      await register('iris', 'run-a');
      await register('iris', 'run-b');
      await register('wine', 'run-c');
      await register('digits', 'run-d');
      await registry.setAlias('wine', 'production', 1);
      await registry.setAlias('iris', 'production', 1);
      await registry.setAlias('iris', 'staging', 2);
      await registry.setAlias('digits', 'staging', 1);

      const targets = await registry.listAliasTargets('production');
      expect(targets.map((v) => [v.model, v.version, v.aliases])).toEqual([
        ['iris', 1, ['production']],
        ['wine', 1, ['production']],
      ]);
      expect(await registry.listAliasTargets('canary')).toEqual([]);
    });
  });

  it('lists models by name with their versions newest first and their aliases', async () => {
    await register('wine', 'run-a');
    await register('iris', 'run-b');
    await register('iris', 'run-c');
    await registry.setAlias('iris', 'production', 2);

    const models = await registry.listModels();
    for (const model of models) expect(registeredModelSchema.parse(model)).toEqual(model);
    expect(models.map((m) => [m.name, m.latestVersion, m.versions.map((v) => v.version), m.aliases])).toEqual([
      ['iris', 2, [2, 1], { production: 2 }],
      ['wine', 1, [1], {}],
    ]);
    expect(await registry.getModel('iris')).toEqual(models[0]);
  });

  it('names what is missing in errors the HTTP layer can map to 404 as a family', async () => {
    await register('iris', 'run-a');
    const cases: [() => Promise<unknown>, new (...args: never[]) => Error, RegExp][] = [
      [() => registry.getModel('nope'), ModelNotFoundError, /"nope"/],
      [() => registry.getVersion('nope', 1), ModelNotFoundError, /"nope"/],
      [() => registry.getVersion('iris', 9), ModelVersionNotFoundError, /"iris".*9/],
      [() => registry.setAlias('nope', 'production', 1), ModelNotFoundError, /"nope"/],
      [() => registry.setAlias('iris', 'production', 9), ModelVersionNotFoundError, /"iris".*9/],
      [() => registry.resolveAlias('iris', 'production'), AliasNotFoundError, /"iris".*"production"/],
      [() => registry.resolveAlias('nope', 'production'), ModelNotFoundError, /"nope"/],
      [() => registry.deleteAlias('iris', 'production'), AliasNotFoundError, /"iris".*"production"/],
      [() => registry.aliasHistory('nope'), ModelNotFoundError, /"nope"/],
    ];
    for (const [attempt, errorClass, message] of cases) {
      const error = await attempt().then(
        () => null,
        (rejection: unknown) => rejection,
      );
      expect(error).toBeInstanceOf(errorClass);
      expect(error).toBeInstanceOf(RegistryNotFoundError);
      expect((error as Error).message).toMatch(message);
    }
    expect(aliasMessages).toEqual([]);
  });
}
