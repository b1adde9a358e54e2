import type { BatchObserver } from './batch-observer';
import type { ModelCall, Predictor } from './predictor';

/** No batching: every request is its own model call, run as soon as it arrives. */
export class DirectPredictor implements Predictor {
  constructor(
    private readonly call: ModelCall,
    private readonly observe: BatchObserver = () => undefined,
  ) {}

  async predict(features: Float32Array, rowCount: number): Promise<Float32Array> {
    const startedAt = performance.now();
    try {
      const outputs = this.call(features, rowCount);
      this.observe({ rows: rowCount, requests: 1, queueUs: [0], computeUs: Math.round((performance.now() - startedAt) * 1000), failed: false });
      return outputs;
    } catch (error) {
      this.observe({ rows: rowCount, requests: 1, queueUs: [0], computeUs: Math.round((performance.now() - startedAt) * 1000), failed: true });
      throw error;
    }
  }
}
