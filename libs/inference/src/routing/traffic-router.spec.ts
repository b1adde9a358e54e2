import { DEFAULT_SERVING_ALIAS, trafficPolicySchema } from '@slipway/contracts';
import seedrandom from 'seedrandom';
import { TrafficRouter } from './traffic-router';

const policy = trafficPolicySchema.parse({
  iris: { routes: [{ alias: 'production', weight: 90 }, { alias: 'canary', weight: 10 }], shadow: 'challenger' },
});

describe('TrafficRouter', () => {
  it('splits traffic by weight', () => {
    const router = new TrafficRouter(policy, seedrandom('split'));
    const counts: Record<string, number> = {};
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const { target } = router.route('iris');
      counts[target] = (counts[target] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['canary', 'production']);
    // 10% ± 1.5 points: far outside what chance allows over 20,000 draws if the split were wrong.
    expect((counts['canary'] ?? 0) / draws).toBeGreaterThan(0.085);
    expect((counts['canary'] ?? 0) / draws).toBeLessThan(0.115);
  });

  it('honours a pinned route and still sends the shadow a copy', () => {
    const router = new TrafficRouter(policy, () => 0);
    expect(router.route('iris', 'canary')).toEqual({ target: 'canary', via: 'pinned', shadow: 'challenger' });
    expect(router.route('iris', '7')).toEqual({ target: '7', via: 'pinned', shadow: 'challenger' });
  });

  it('routes models without a policy to production', () => {
    expect(new TrafficRouter(policy).route('wine')).toEqual({ target: DEFAULT_SERVING_ALIAS, via: 'default' });
  });

  it.each(['constructor', '__proto__', 'toString'])('routes a model named %s like any model without a policy (found by schemathesis)', (model) => {
    expect(new TrafficRouter(policy).route(model)).toEqual({ target: DEFAULT_SERVING_ALIAS, via: 'default' });
  });

  it('never shadows a request to the alias that answers it', () => {
    const selfShadow = trafficPolicySchema.parse({ iris: { routes: [{ alias: 'production', weight: 100 }], shadow: 'production' } });
    expect(new TrafficRouter(selfShadow).route('iris')).toEqual({ target: 'production', via: 'split' });
  });

  it('lists every alias it needs loaded', () => {
    expect(new TrafficRouter(policy).aliases().sort()).toEqual(['canary', 'challenger', 'production']);
  });
});
