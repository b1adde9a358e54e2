import { emptyPredictionLogGroup, predictionLogOfRecords, type PredictionLogGroup, type Transform } from '@slipway/contracts';
import { Registry } from 'prom-client';
import { DriftTracker } from './drift-tracker';

const transform: Transform = {
  version: 1,
  features: [
    { name: 'size', kind: 'numeric', mean: 5, scale: 2.9, statistics: { count: 100, min: 0, max: 10, mean: 5, std: 2.9, quantiles: [1, 2, 3, 4, 5, 6, 7, 8, 9] } },
    { name: 'colour', kind: 'categorical', vocabulary: ['red', 'blue'], statistics: { count: 100, frequencies: { red: 50, blue: 50 } } },
  ],
  label: { name: 'kind', classes: ['a', 'b'] },
};

/** The log group of one sampled prediction with these sizes, colours alternating. */
function batch(sizes: number[], id: string): PredictionLogGroup {
  const inputs = { size: sizes, colour: sizes.map((_, i) => (i % 2 ? 'red' : 'blue')) };
  const record = { model: 'toy', version: 1, rows: sizes.length, latencyMs: 1, ok: true, prediction: { id, at: new Date().toISOString(), inputs, labels: sizes.map(() => 'a') } };
  return predictionLogOfRecords('serving-1', [record]).groups[0] as PredictionLogGroup;
}

const spread = (from: number, to: number, n = 100) => Array.from({ length: n }, (_, i) => from + ((i + 0.5) / n) * (to - from));

describe('DriftTracker', () => {
  let registry: Registry;
  let tracker: DriftTracker;

  beforeEach(() => {
    registry = new Registry();
    tracker = new DriftTracker(registry, { windowRows: 100, policy: { toy: { psiThreshold: 0.2, minRows: 50 } } });
  });

  it('waits for the training statistics and for minRows before judging', () => {
    expect(tracker.observe(batch(spread(0, 10, 40), 'p1'))).toBe(true);
    expect(tracker.evaluate('toy', 1)).toBeUndefined();
    tracker.setReference('toy', 1, transform);
    expect(tracker.evaluate('toy', 1)).toBeUndefined();
    expect(tracker.report('toy').versions[0]?.evaluatedAt).toBeNull();
    tracker.observe(batch(spread(0, 10, 40), 'p2'));
    tracker.evaluate('toy', 1);
    expect(tracker.report('toy').versions[0]).toMatchObject({ windowRows: 80, drifted: false, minRows: 50 });
  });

  it('reports a crossing once per episode and exports every feature and method', async () => {
    tracker.setReference('toy', 1, transform);
    tracker.observe(batch(spread(0, 10), 'calm'));
    expect(tracker.evaluate('toy', 1)).toBeUndefined();

    tracker.observe(batch(spread(8, 18), 'shifted'));
    const crossing = tracker.evaluate('toy', 1);
    expect(crossing?.features.map((f) => f.feature)).toEqual(['size']);
    expect(crossing?.policy.psiThreshold).toBe(0.2);
    tracker.observe(batch(spread(8, 18), 'still-shifted'));
    expect(tracker.evaluate('toy', 1)).toBeUndefined();

    // Back to normal, then shifted again: a new episode.
    tracker.observe(batch(spread(0, 10), 'calm-again'));
    expect(tracker.evaluate('toy', 1)).toBeUndefined();
    expect(tracker.report('toy').versions[0]?.drifted).toBe(false);
    tracker.observe(batch(spread(8, 18), 'shifted-again'));
    expect(tracker.evaluate('toy', 1)).toBeDefined();

    const text = await registry.metrics();
    for (const series of ['feature="size",method="psi"', 'feature="size",method="ks_pvalue"', 'feature="colour",method="psi"', 'feature="colour",method="chi2_pvalue"']) {
      expect(text).toContain(`slipway_feature_drift{model="toy",version="1",${series}}`);
    }
    expect(text).toContain('slipway_model_drifted{model="toy",version="1"} 1');
  });

  it('ignores groups without sampled inputs and uses default policies for models not named', () => {
    const unsampled = emptyPredictionLogGroup('toy', 1);
    unsampled.requests = { latencyMs: [1], rows: [1], ok: [true] };
    expect(tracker.observe(unsampled)).toBe(false);
    expect(tracker.policyOf('other')).toEqual({ psiThreshold: 0.2, minRows: 200 });
  });

  it('names why drift is unavailable', () => {
    tracker.observe(batch([1], 'p'));
    tracker.markUnavailable('toy', 1, 'transform sha256:abc not found');
    expect(tracker.report('toy').versions[0]?.unavailable).toContain('sha256:abc');
  });
});
