/** The most recent latencies in a fixed-size ring, for p50/p99 in the JSON summary (Prometheus gets histograms). */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(capacity = 10_000) {
    this.samples = new Float64Array(capacity);
  }

  add(latencyMs: number): void {
    this.samples[this.next] = latencyMs;
    this.next = (this.next + 1) % this.samples.length;
    this.filled = Math.min(this.filled + 1, this.samples.length);
  }

  /** Nearest-rank quantile over the window, or null when nothing was recorded. */
  quantile(q: number): number | null {
    if (this.filled === 0) return null;
    const sorted = this.samples.slice(0, this.filled).sort();
    const rank = Math.min(this.filled - 1, Math.max(0, Math.ceil(q * this.filled) - 1));
    return sorted[rank] ?? null;
  }
}
