import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyPredictionLogGroup, MEDIA_TYPES, type ArtifactRef, type RegisteredModel } from '@slipway/contracts';
import { RegistryApiError } from '@slipway/registry-client';
import { FileArtifactStore } from '@slipway/storage';
import { Registry } from 'prom-client';
import { DriftAlerts } from './drift-alerts';
import { DriftService } from './drift.service';
import { DriftTracker } from '../drift/drift-tracker';
import { sampledRows, spread, toyTransform } from '../drift/testing/sampled-rows';
import { TrainingStatistics } from '../drift/training-statistics';

/** What the registry says of model "toy": version 1, whose transform is `transform`; or that it cannot be reached. */
class FakeRegistry {
  transform: ArtifactRef | undefined;
  calls = 0;

  async getModel(name: string): Promise<RegisteredModel> {
    this.calls += 1;
    if (!this.transform) throw new RegistryApiError('registry unreachable: ECONNREFUSED', 'http://127.0.0.1:9/api/models/toy');
    const version = {
      format: 'slipway-tfjs' as const,
      model: name,
      version: 1,
      runId: 'run-toy',
      datasetDigest: `sha256:${'d'.repeat(64)}`,
      backend: 'wasm' as const,
      metrics: { validation: null, test: { task: 'classification' as const, rows: 20, loss: 0.3, accuracy: 0.9 } },
      modelArtifact: { digest: `sha256:${'e'.repeat(64)}`, size: 1, mediaType: MEDIA_TYPES.modelManifest },
      transformArtifact: this.transform,
      aliases: ['production'],
      createdAt: '2026-11-29T00:00:00.000Z',
    };
    return { name, createdAt: version.createdAt, latestVersion: 1, aliases: { production: 1 }, versions: [version] };
  }
}

describe('DriftService', () => {
  let root: string;
  let store: FileArtifactStore;
  let registry: FakeRegistry;
  let tracker: DriftTracker;
  let alerts: DriftAlerts;
  let warnings: object[];
  let drift: DriftService;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-drift-'));
    store = new FileArtifactStore(root);
    registry = new FakeRegistry();
    const metrics = new Registry();
    tracker = new DriftTracker(metrics, { windowRows: 100, policy: { toy: { psiThreshold: 0.2, minRows: 50 } } });
    warnings = [];
    const logger = { log: () => undefined, warn: (line: object) => void warnings.push(line), error: () => undefined };
    alerts = new DriftAlerts(metrics, { submitRun: () => Promise.reject(new Error('no retraining policy in this test')), logger });
    drift = new DriftService(tracker, alerts, new TrainingStatistics(registry, store), logger);
  });

  afterEach(async () => {
    await alerts.close();
    await rm(root, { recursive: true, force: true });
  });

  const versionReport = () => tracker.report('toy').versions[0];

  it("reads a version's training statistics once, when its first sampled rows arrive", async () => {
    registry.transform = await store.putJson(toyTransform, MEDIA_TYPES.transform);

    await drift.observe([emptyPredictionLogGroup('toy', 1)]);
    expect(registry.calls).toBe(0);

    await drift.observe([sampledRows(spread(0, 10), 'first')]);
    expect(versionReport()).toMatchObject({ unavailable: null, windowRows: 100, drifted: false });
    expect(versionReport()?.evaluatedAt).not.toBeNull();

    await drift.observe([sampledRows(spread(0, 10), 'second')]);
    expect(registry.calls).toBe(1);
  });

  it('reports unreadable statistics as unavailable, naming why, and reads them again with the next batch', async () => {
    await drift.observe([sampledRows(spread(0, 10), 'registry-down')]);
    expect(versionReport()?.unavailable).toBe('training statistics of toy@1 unreadable: registry unreachable: ECONNREFUSED');
    expect(versionReport()?.evaluatedAt).toBeNull();
    expect(warnings).toContainEqual(expect.objectContaining({ event: 'drift.statistics.unavailable', model: 'toy', version: 1 }));

    // The registry answers now, but the transform it names is not in the store yet.
    const stored = await new FileArtifactStore(join(root, 'elsewhere')).putJson(toyTransform, MEDIA_TYPES.transform);
    registry.transform = stored;
    await drift.observe([sampledRows(spread(0, 10), 'artifact-missing')]);
    expect(versionReport()?.unavailable).toContain(stored.digest);

    await store.putJson(toyTransform, MEDIA_TYPES.transform);
    await drift.observe([sampledRows(spread(0, 10), 'readable')]);
    expect(versionReport()).toMatchObject({ unavailable: null, drifted: false });
    expect(versionReport()?.evaluatedAt).not.toBeNull();
    expect(registry.calls).toBe(3);
  });

  it('raises one alert when a version crosses its threshold, not one per batch while it stays above', async () => {
    registry.transform = await store.putJson(toyTransform, MEDIA_TYPES.transform);

    await drift.observe([sampledRows(spread(0, 10), 'calm')]);
    expect(alerts.list()).toEqual([]);

    await drift.observe([sampledRows(spread(8, 18), 'shifted')]);
    await drift.observe([sampledRows(spread(8, 18), 'still-shifted')]);

    expect(versionReport()?.drifted).toBe(true);
    expect(alerts.list()).toHaveLength(1);
    expect(alerts.list()[0]).toMatchObject({ kind: 'feature-drift', model: 'toy', version: 1, psiThreshold: 0.2, retrainRunId: null });
    expect(alerts.list()[0]?.features.map((feature) => feature.feature)).toEqual(['size']);
  });
});
