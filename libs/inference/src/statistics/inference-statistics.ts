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

/** Per model version counters in the shape of Triton's statistics extension (`GET /v2/models/{m}/stats`). */
export class InferenceStatistics {
  private readonly versions = new Map<string, VersionStatistics>();

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
    return versions.map((version) => {
      const stats = this.of(model, version);
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
    });
  }

  private of(model: string, version: number): VersionStatistics {
    const key = `${model}@${version}`;
    let stats = this.versions.get(key);
    if (!stats) {
      stats = { lastInference: 0, inferenceCount: 0, executionCount: 0, success: zero(), fail: zero(), queue: zero(), computeInput: zero(), computeInfer: zero(), computeOutput: zero() };
      this.versions.set(key, stats);
    }
    return stats;
  }
}
