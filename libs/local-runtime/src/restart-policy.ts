export interface RestartPolicyOptions {
  /** Wait before the first restart after a crash. @defaultValue 500 ms */
  initialDelayMs?: number;
  /** The wait doubles with each quick crash in a row, up to this. @defaultValue 8 000 ms */
  maxDelayMs?: number;
  /** A process that crashes within this long of starting crashed "quickly": it is likely to crash again. @defaultValue 30 000 ms */
  quickCrashMs?: number;
  /** Quick crashes in a row after which the process is not started again. @defaultValue 5 */
  maxQuickCrashes?: number;
}

export type RestartDecision = { restart: true; delayMs: number; quickCrashes: number } | { restart: false; quickCrashes: number };

/**
 * When to start a crashed process again: at once-ish after a crash that follows a good long run, with exponential
 * backoff while it keeps crashing soon after starting, and never again after `maxQuickCrashes` such crashes in a
 * row (a bad configuration or a broken build does not heal by restarting).
 */
export class RestartPolicy {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly quickCrashMs: number;
  readonly maxQuickCrashes: number;
  private quickCrashes = 0;

  constructor(options: RestartPolicyOptions = {}) {
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 8_000;
    this.quickCrashMs = options.quickCrashMs ?? 30_000;
    this.maxQuickCrashes = options.maxQuickCrashes ?? 5;
  }

  /** The decision for a crash `uptimeMs` after the process started. */
  afterCrash(uptimeMs: number): RestartDecision {
    this.quickCrashes = uptimeMs < this.quickCrashMs ? this.quickCrashes + 1 : 0;
    if (this.quickCrashes >= this.maxQuickCrashes) return { restart: false, quickCrashes: this.quickCrashes };
    const delayMs = Math.min(this.initialDelayMs * 2 ** Math.max(0, this.quickCrashes - 1), this.maxDelayMs);
    return { restart: true, delayMs, quickCrashes: this.quickCrashes };
  }
}
