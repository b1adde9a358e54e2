import { DEFAULT_SERVING_ALIAS, type ModelVersion } from '@slipway/contracts';
import { ModelReconciler } from '../repository/model-reconciler';
import { ModelRepository } from '../repository/model-repository';
import { createWorkspace, modelVersion, prepareIris, untrainedModel, type ModelWorkspace } from '../testing/model-fixtures';
import type { AliasChangeFeed } from './alias-change-feed';
import { ModelSync } from './model-sync';

jest.setTimeout(60_000);

/** The registry's alias targets, answered as they are when asked; one answer can be held back to model a slow read. */
class FakeRegistry {
  targets = new Map<string, ModelVersion[]>();
  unreachable: Error | undefined;
  /** The most reads of one alias that were under way at once. */
  mostConcurrentReads = new Map<string, number>();
  private readonly reading = new Map<string, number>();
  private held: { alias: string; released: Promise<void> } | undefined;

  /** The next read of the alias takes its answer at once but returns it only when `release` is called. */
  holdNextRead(alias: string): () => void {
    let release!: () => void;
    this.held = { alias, released: new Promise<void>((resolve) => (release = resolve)) };
    return release;
  }

  async aliasTargets(alias: string): Promise<ModelVersion[]> {
    const reading = (this.reading.get(alias) ?? 0) + 1;
    this.reading.set(alias, reading);
    this.mostConcurrentReads.set(alias, Math.max(this.mostConcurrentReads.get(alias) ?? 0, reading));
    try {
      if (this.unreachable) throw this.unreachable;
      const answer = [...(this.targets.get(alias) ?? [])];
      const held = this.held?.alias === alias ? this.held : undefined;
      if (held) {
        this.held = undefined;
        await held.released;
      }
      return answer;
    } finally {
      this.reading.set(alias, (this.reading.get(alias) ?? 1) - 1);
    }
  }
}

/** Alias-changed messages the test sends by hand. */
class ManualAliasChanges implements AliasChangeFeed {
  private onChange: (() => void) | undefined;
  closed = false;

  async subscribe(onChange: () => void): Promise<void> {
    this.onChange = onChange;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  aliasMoved(): void {
    if (!this.onChange) throw new Error('the sync is not subscribed to alias changes');
    this.onChange();
  }
}

/** Log lines, and a way to wait for the next one of an event. */
class RecordingLogger {
  readonly lines: Record<string, unknown>[] = [];
  private readonly waiting: { event: string; resolve: (line: Record<string, unknown>) => void }[] = [];

  log(line: object): void {
    this.record(line as Record<string, unknown>);
  }

  warn(line: object): void {
    this.record(line as Record<string, unknown>);
  }

  next(event: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiting.push({ event, resolve }));
  }

  private record(line: Record<string, unknown>): void {
    this.lines.push(line);
    for (const waiter of this.waiting.filter((w) => w.event === line['event'])) {
      this.waiting.splice(this.waiting.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  }
}

/** Three registered versions of untrained models (iris@1, iris@2, wine@1): enough to load, alias and unload. */
async function registeredVersions(workspace: ModelWorkspace): Promise<ModelVersion[]> {
  const dataset = await prepareIris(workspace.store);
  const versions: ModelVersion[] = [];
  for (const [seed, [model, version]] of [['iris', 1] as const, ['iris', 2] as const, ['wine', 1] as const].entries()) {
    versions.push(modelVersion(model, version, await untrainedModel(workspace.store, dataset, seed + 1), dataset));
  }
  return versions;
}

describe('ModelSync', () => {
  let workspace: ModelWorkspace;
  let iris1: ModelVersion, iris2: ModelVersion, wine1: ModelVersion;
  let registry: FakeRegistry, aliasChanges: ManualAliasChanges, logger: RecordingLogger;
  let repository: ModelRepository, reconciler: ModelReconciler, sync: ModelSync;

  beforeAll(async () => {
    workspace = await createWorkspace();
    [iris1, iris2, wine1] = (await registeredVersions(workspace)) as [ModelVersion, ModelVersion, ModelVersion];
  });

  afterAll(() => workspace.dispose());

  beforeEach(() => {
    registry = new FakeRegistry();
    aliasChanges = new ManualAliasChanges();
    logger = new RecordingLogger();
    repository = new ModelRepository(workspace.store);
    reconciler = new ModelReconciler(repository);
    sync = new ModelSync({ registry, repository, reconciler, aliases: ['staging'], aliasChanges, intervalMs: 60_000, logger });
  });

  afterEach(async () => {
    await sync.stop();
    await reconciler.reconcile({ [DEFAULT_SERVING_ALIAS]: [], staging: [] });
  });

  const servedUnder = (alias: string) => repository.list().filter((info) => info.aliases.includes(alias)).map((info) => `${info.name}@${info.version}`).sort();

  it('serves what every served alias targets at start, and is ready then', async () => {
    registry.targets.set(DEFAULT_SERVING_ALIAS, [iris1, wine1]);
    registry.targets.set('staging', [iris2]);
    await expect(sync.assertReady()).rejects.toThrow('not synchronised with the registry yet');

    await sync.start();

    expect(sync.servedAliases()).toEqual([DEFAULT_SERVING_ALIAS, 'staging']);
    expect(servedUnder(DEFAULT_SERVING_ALIAS)).toEqual(['iris@1', 'wine@1']);
    expect(servedUnder('staging')).toEqual(['iris@2']);
    await expect(sync.assertReady()).resolves.toBeUndefined();
  });

  it('runs one sync at a time, so a slow read from before an alias moved cannot undo the move', async () => {
    registry.targets.set(DEFAULT_SERVING_ALIAS, [iris1]);
    await sync.start();

    const releaseStaleRead = registry.holdNextRead(DEFAULT_SERVING_ALIAS);
    aliasChanges.aliasMoved(); // reads iris@1, answered late
    registry.targets.set(DEFAULT_SERVING_ALIAS, [iris2]);
    const moved = logger.next('models.reconciled');
    aliasChanges.aliasMoved(); // must read after the first sync, and see iris@2
    releaseStaleRead();

    expect(await moved).toMatchObject({ trigger: 'alias-changed', loaded: [{ model: 'iris', version: 2 }] });
    expect(servedUnder(DEFAULT_SERVING_ALIAS)).toEqual(['iris@2']);
    expect(registry.mostConcurrentReads.get(DEFAULT_SERVING_ALIAS)).toBe(1);
  });

  it('counts a model unloaded through the repository API as missing, and loads it again at once', async () => {
    registry.targets.set(DEFAULT_SERVING_ALIAS, [iris1, wine1]);
    await sync.start();

    const reloaded = logger.next('models.reconciled');
    await sync.unload('wine');
    // Unloaded, and still wanted by the registry's production alias: not ready until it is back.
    expect(servedUnder(DEFAULT_SERVING_ALIAS)).toEqual(['iris@1']);
    expect(repository.isReady()).toBe(false);
    expect(repository.waitingModels()).toEqual(['wine']);
    await expect(sync.assertReady()).rejects.toThrow('not loaded');

    expect(await reloaded).toMatchObject({ trigger: 'reload wine after unload', loaded: [{ model: 'wine', version: 1 }] });
    expect(servedUnder(DEFAULT_SERVING_ALIAS)).toEqual(['iris@1', 'wine@1']);
    await expect(sync.assertReady()).resolves.toBeUndefined();
  });

  it('unloads without the registry, and stays not ready until a sync can read it again', async () => {
    registry.targets.set(DEFAULT_SERVING_ALIAS, [iris1, wine1]);
    await sync.start();
    registry.unreachable = new Error('connect ECONNREFUSED 127.0.0.1:3001');

    const failed = logger.next('models.sync-failed');
    await sync.unload('wine');
    expect(await failed).toMatchObject({ trigger: 'reload wine after unload' });
    expect(repository.waitingModels()).toEqual(['wine']);

    registry.unreachable = undefined;
    const recovered = logger.next('models.reconciled');
    aliasChanges.aliasMoved();
    expect(await recovered).toMatchObject({ loaded: [{ model: 'wine', version: 1 }] });
    expect(repository.isReady()).toBe(true);
  });

  it('keeps a model unloaded with keep out, and out of readiness, across alias changes, until it is loaded again', async () => {
    registry.targets.set(DEFAULT_SERVING_ALIAS, [iris1, wine1]);
    await sync.start();

    await sync.unload('wine', { keep: true });
    expect(servedUnder(DEFAULT_SERVING_ALIAS)).toEqual(['iris@1']);
    expect(repository.isReady()).toBe(true);
    expect(sync.keptUnloaded()).toEqual(['wine']);

    registry.targets.set(DEFAULT_SERVING_ALIAS, [iris2, wine1]);
    const moved = logger.next('models.reconciled');
    aliasChanges.aliasMoved();
    await moved;
    expect(servedUnder(DEFAULT_SERVING_ALIAS)).toEqual(['iris@2']);
    expect(repository.isReady()).toBe(true);

    const report = await sync.load('wine');
    expect(report?.loaded).toEqual([{ model: 'wine', version: 1 }]);
    expect(servedUnder(DEFAULT_SERVING_ALIAS)).toEqual(['iris@2', 'wine@1']);
    expect(sync.keptUnloaded()).toEqual([]);
  });

  it('is not ready while the registry does not answer, keeps what it serves, and recovers on the next sync', async () => {
    registry.targets.set(DEFAULT_SERVING_ALIAS, [iris1]);
    registry.unreachable = new Error('connect ECONNREFUSED 127.0.0.1:3001');
    await sync.start();
    await expect(sync.assertReady()).rejects.toThrow('registry unreachable: connect ECONNREFUSED 127.0.0.1:3001');

    registry.unreachable = undefined;
    const recovered = logger.next('models.reconciled');
    aliasChanges.aliasMoved();
    await recovered;
    await expect(sync.assertReady()).resolves.toBeUndefined();

    registry.unreachable = new Error('registry answered 503');
    await expect(sync.load('iris')).rejects.toThrow('registry answered 503');
    await expect(sync.assertReady()).rejects.toThrow('registry unreachable: registry answered 503');
    expect(servedUnder(DEFAULT_SERVING_ALIAS)).toEqual(['iris@1']);
  });

  it('reads the registry every interval, without a message', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'performance', 'Date'] });
    try {
      sync = new ModelSync({ registry, repository, reconciler, aliases: [], aliasChanges, intervalMs: 1_000, logger });
      registry.targets.set(DEFAULT_SERVING_ALIAS, [iris1]);
      await sync.start();

      registry.targets.set(DEFAULT_SERVING_ALIAS, [iris2]);
      const moved = logger.next('models.reconciled');
      jest.advanceTimersByTime(1_000);
      expect(await moved).toMatchObject({ trigger: 'interval', loaded: [{ model: 'iris', version: 2 }] });
      expect(servedUnder(DEFAULT_SERVING_ALIAS)).toEqual(['iris@2']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('stops listening on stop', async () => {
    await sync.start();
    await sync.stop();
    expect(aliasChanges.closed).toBe(true);
  });
});
