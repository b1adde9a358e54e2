import type { BatchExecution } from '../batching/batch-observer';

interface Duration {
  count: number;
  ns: number;
}

interface VersionStatistics {
  lastInference: number;
  inferenceCount: number;
  executionCount: number;
  success: Duration;
  fail: Duration;
  queue: Duration;
  computeInput: Duration;
  computeInfer: Duration;
  computeOutput: Duration;
}

/** One entry of the Triton statistics extension's `model_stats`. */
export interface TritonModelStats {
  name: string;
  version: string;
  last_inference: number;
  inference_count: number;
  execution_count: number;
  inference_stats: Record<'success' | 'fail' | 'queue' | 'compute_input' | 'compute_infer' | 'compute_output', { count: number; ns: number }>;
}

const zero = (): Duration => ({ count: 0, ns: 0 });

/**
 * Per model version counters in the shape of Triton's statistics extension (`GET /v2/models/{m}/stats`); serving's
 * Triton-named metrics are read from them at scrape time.
 */
export class InferenceStatistics {
  /** model → version → counters; nested rather than keyed by a `name@version` string built on every request. */
  private readonly models = new Map<string, Map<number, VersionStatistics>>();

  recordRequest(model: string, version: number, durationUs: number, ok: boolean, rows: number): void {
    const stats = this.of(model, version);
    const duration = ok ? stats.success : stats.fail;
    duration.count += 1;
    duration.ns += Math.round(durationUs * 1_000);
    if (ok) stats.inferenceCount += rows;
    stats.lastInference = Date.now();
  }

  /** Time spent decoding and transforming the request (input) and building the response (output). */
  recordPhases(model: string, version: number, inputUs: number, outputUs: number): void {
    const stats = this.of(model, version);
    stats.computeInput.count += 1;
    stats.computeInput.ns += Math.round(inputUs * 1_000);
    stats.computeOutput.count += 1;
    stats.computeOutput.ns += Math.round(outputUs * 1_000);
  }

  recordExecution(model: string, version: number, execution: BatchExecution): void {
    const stats = this.of(model, version);
    stats.executionCount += 1;
    stats.computeInfer.count += execution.requests;
    stats.computeInfer.ns += execution.computeUs * 1_000;
    for (const queueUs of execution.queueUs) {
      stats.queue.count += 1;
      stats.queue.ns += queueUs * 1_000;
    }
  }

  /** Statistics of the given versions of a model; a loaded version nobody has called yet reports zeros, as Triton does. */
  forModel(model: string, versions: readonly number[]): TritonModelStats[] {
    return versions.map((version) => report(model, version, this.of(model, version)));
  }

  /** Statistics of every version counted so far, loaded or not any more (cumulative counters never go back). */
  all(): TritonModelStats[] {
    const reports: TritonModelStats[] = [];
    for (const [model, versions] of this.models) for (const [version, stats] of versions) reports.push(report(model, version, stats));
    return reports;
  }

  private of(model: string, version: number): VersionStatistics {
    let versions = this.models.get(model);
    if (!versions) {
      versions = new Map();
      this.models.set(model, versions);
    }
    let stats = versions.get(version);
    if (!stats) {
      stats = { lastInference: 0, inferenceCount: 0, executionCount: 0, success: zero(), fail: zero(), queue: zero(), computeInput: zero(), computeInfer: zero(), computeOutput: zero() };
      versions.set(version, stats);
    }
    return stats;
  }
}

function report(model: string, version: number, stats: VersionStatistics): TritonModelStats {
  return {
    name: model,
    version: String(version),
    last_inference: stats.lastInference,
    inference_count: stats.inferenceCount,
    execution_count: stats.executionCount,
    inference_stats: {
      success: stats.success,
      fail: stats.fail,
      queue: stats.queue,
      compute_input: stats.computeInput,
      compute_infer: stats.computeInfer,
      compute_output: stats.computeOutput,
    },
  };
}
