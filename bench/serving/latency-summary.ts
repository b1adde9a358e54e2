export interface LatencySummary {
  samples: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

const micro = (ms: number) => Math.round(ms * 1000) / 1000;

/** Nearest-rank percentiles over exact samples (autocannon's own histogram rounds latencies to whole milliseconds). */
export function summarizeLatencies(latenciesMs: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(latenciesMs).sort();
  const n = sorted.length;
  if (n === 0) return { samples: 0, meanMs: NaN, p50Ms: NaN, p90Ms: NaN, p99Ms: NaN, maxMs: NaN };
  const at = (percent: number) => sorted[Math.max(0, Math.ceil((percent / 100) * n) - 1)] ?? NaN;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / n;
  return { samples: n, meanMs: micro(mean), p50Ms: micro(at(50)), p90Ms: micro(at(90)), p99Ms: micro(at(99)), maxMs: micro(sorted[n - 1] ?? NaN) };
}
