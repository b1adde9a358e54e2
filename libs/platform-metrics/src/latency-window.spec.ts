import { LatencyWindow } from './latency-window';

describe('LatencyWindow', () => {
  it('has no quantiles before any sample', () => {
    expect(new LatencyWindow().quantile(0.5)).toBeNull();
  });

  it('matches the nearest-rank quantile of a shuffled sequence', () => {
    const window = new LatencyWindow(1_000);
    const values = Array.from({ length: 200 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
    values.forEach((v) => window.add(v));
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) expect(window.quantile(q)).toBe(sorted[Math.ceil(q * sorted.length) - 1]);
  });

  it('forgets samples older than its capacity', () => {
    const window = new LatencyWindow(10);
    for (let i = 0; i < 10; i++) window.add(1_000);
    for (let i = 0; i < 10; i++) window.add(1);
    expect(window.quantile(0.99)).toBe(1);
  });
});
