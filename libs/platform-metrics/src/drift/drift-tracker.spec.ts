import { emptyPredictionLogGroup } from '@slipway/contracts';
import { Registry } from 'prom-client';
import { DriftTracker } from './drift-tracker';
import { sampledRows, spread, toyReference } from './testing/sampled-rows';

describe('DriftTracker', () => {
  let registry: Registry;
  let tracker: DriftTracker;

  beforeEach(() => {
    registry = new Registry();
    tracker = new DriftTracker(registry, { windowRows: 100, policy: { toy: { psiThreshold: 0.2, minRows: 50 } } });
  });

  it('waits for the reference and for minRows before judging', () => {
    expect(tracker.observe(sampledRows(spread(0, 10, 40), 'p1'))).toBe(true);
    expect(tracker.evaluate('toy', 1)).toBeUndefined();
    tracker.setReference('toy', 1, toyReference);
    expect(tracker.evaluate('toy', 1)).toBeUndefined();
    expect(tracker.report('toy').versions[0]?.evaluatedAt).toBeNull();
    tracker.observe(sampledRows(spread(0, 10, 40), 'p2'));
    tracker.evaluate('toy', 1);
    expect(tracker.report('toy').versions[0]).toMatchObject({ windowRows: 80, drifted: false, minRows: 50 });
  });

  it('reports a crossing once per episode and exports every feature and method', async () => {
    tracker.setReference('toy', 1, toyReference);
    tracker.observe(sampledRows(spread(0, 10), 'calm'));
    expect(tracker.evaluate('toy', 1)).toBeUndefined();

    tracker.observe(sampledRows(spread(8, 18), 'shifted'));
    const crossing = tracker.evaluate('toy', 1);
    expect(crossing?.features.map((f) => f.feature)).toEqual(['size']);
    expect(crossing?.policy.psiThreshold).toBe(0.2);
    tracker.observe(sampledRows(spread(8, 18), 'still-shifted'));
    expect(tracker.evaluate('toy', 1)).toBeUndefined();

    // Back to normal, then shifted again: a new episode.
    tracker.observe(sampledRows(spread(0, 10), 'calm-again'));
    expect(tracker.evaluate('toy', 1)).toBeUndefined();
    expect(tracker.report('toy').versions[0]?.drifted).toBe(false);
    tracker.observe(sampledRows(spread(8, 18), 'shifted-again'));
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
    tracker.observe(sampledRows([1], 'p'));
    tracker.markUnavailable('toy', 1, 'transform sha256:abc not found');
    expect(tracker.report('toy').versions[0]?.unavailable).toContain('sha256:abc');
  });
});
