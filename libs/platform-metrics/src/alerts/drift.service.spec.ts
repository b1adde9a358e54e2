import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyPredictionLogGroup, MEDIA_TYPES, type ArtifactRef, type DriftReference, type ImportedModelVersion, type RegisteredModel } from '@slipway/contracts';
import { RegistryApiError } from '@slipway/registry-client';
import { FileArtifactStore } from '@slipway/storage';
import { Registry } from 'prom-client';
import { DriftAlerts } from './drift-alerts';
import { DriftService } from './drift.service';
import { DriftTracker } from '../drift/drift-tracker';
import { DriftReferences } from '../drift/drift-references';
import { sampledInputs, sampledRows, spread, toyTransform } from '../drift/testing/sampled-rows';

/**
 * What the registry says of model "toy": version 1, whose transform is `transform`; or that it cannot be reached.
 * Models in `imported` are ONNX imports with that drift reference (or none).
 */
class FakeRegistry {
  transform: ArtifactRef | undefined;
  readonly imported = new Map<string, ArtifactRef | undefined>();
  calls = 0;

  async getModel(name: string): Promise<RegisteredModel> {
    this.calls += 1;
    if (this.imported.has(name)) return importedModel(name, this.imported.get(name));
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

function importedModel(name: string, driftReference: ArtifactRef | undefined): RegisteredModel {
  const version: ImportedModelVersion = {
    format: 'onnx',
    model: name,
    version: 1,
    modelArtifact: { digest: `sha256:${'f'.repeat(64)}`, size: 1, mediaType: MEDIA_TYPES.modelFiles },
    signature: { inputs: [{ name: 'X', datatype: 'FP32', shape: [-1, 2] }], outputs: [{ name: 'label', datatype: 'INT64', shape: [-1] }] },
    source: { fileName: 'model.onnx', sha256: `sha256:${'a'.repeat(64)}`, importedBy: 'anonymous', importedAt: '2026-11-29T00:00:00.000Z' },
    aliases: ['production'],
    createdAt: '2026-11-29T00:00:00.000Z',
    ...(driftReference ? { driftReference } : {}),
  };
  return { name, createdAt: version.createdAt, latestVersion: 1, aliases: { production: 1 }, versions: [version] };
}

/** Reference rows of an imported model's `[N, 2]` input X: both columns spread evenly over 0–10. */
const importedReference: DriftReference = {
  version: 1,
  rows: 100,
  features: ['X[0]', 'X[1]'].map((name) => ({ name, kind: 'numeric' as const, statistics: { count: 100, min: 0, max: 10, mean: 5, std: 2.9, quantiles: [1, 2, 3, 4, 5, 6, 7, 8, 9], missing: 0 } })),
};

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
    tracker = new DriftTracker(metrics, { windowRows: 100, policy: { toy: { psiThreshold: 0.2, minRows: 50 }, 'sk-iris': { psiThreshold: 0.2, minRows: 50 } } });
    warnings = [];
    const logger = { log: () => undefined, warn: (line: object) => void warnings.push(line), error: () => undefined };
    alerts = new DriftAlerts(metrics, { submitRun: () => Promise.reject(new Error('no retraining policy in this test')), logger });
    drift = new DriftService(tracker, alerts, new DriftReferences(registry, store), logger);
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

  it('reports unreadable training statistics as unavailable, naming why, and reads them again with the next batch', async () => {
    await drift.observe([sampledRows(spread(0, 10), 'registry-down')]);
    expect(versionReport()?.unavailable).toBe('drift reference of toy@1 unavailable: registry unreachable: ECONNREFUSED');
    expect(versionReport()?.evaluatedAt).toBeNull();
    expect(warnings).toContainEqual(expect.objectContaining({ event: 'drift.reference.unavailable', model: 'toy', version: 1 }));

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

  it("judges an imported version's logged input columns against the reference stored at its import, alerting when they cross", async () => {
    registry.imported.set('sk-iris', await store.putJson(importedReference, MEDIA_TYPES.driftReference));
    const columns = (shift: number) => ({ 'X[0]': spread(shift, 10 + shift), 'X[1]': spread(0, 10) });

    await drift.observe([sampledInputs('sk-iris', columns(0), 'calm')]);
    expect(tracker.report('sk-iris').versions[0]).toMatchObject({ unavailable: null, drifted: false });
    expect(alerts.list()).toEqual([]);

    await drift.observe([sampledInputs('sk-iris', columns(8), 'shifted')]);
    const version = tracker.report('sk-iris').versions[0];
    expect(version?.drifted).toBe(true);
    expect(version?.features.find((feature) => feature.feature === 'X[1]')?.psi).toBeLessThan(0.2);
    expect(alerts.list()).toHaveLength(1);
    expect(alerts.list()[0]).toMatchObject({ kind: 'feature-drift', model: 'sk-iris', version: 1 });
    expect(alerts.list()[0]?.features.map((feature) => feature.feature)).toEqual(['X[0]']);
  });

  it('says an imported version without reference rows was imported without --reference', async () => {
    registry.imported.set('sk-iris', undefined);
    await drift.observe([sampledInputs('sk-iris', { 'X[0]': spread(0, 10), 'X[1]': spread(0, 10) }, 'no-reference')]);
    expect(tracker.report('sk-iris').versions[0]?.unavailable).toBe(
      'drift reference of sk-iris@1 unavailable: sk-iris@1 is an onnx model imported without --reference: it has no reference rows to compare against',
    );
    expect(tracker.report('sk-iris').versions[0]?.evaluatedAt).toBeNull();
  });
});
