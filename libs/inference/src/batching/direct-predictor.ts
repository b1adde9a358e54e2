import type { BatchObserver } from './batch-observer';
import type { ModelCall, Predictor } from './predictor';

/** No batching: every request is its own model call, run as soon as it arrives. */
export class DirectPredictor<I = Float32Array, O = Float32Array> implements Predictor<I, O> {
  constructor(
    private readonly call: ModelCall<I, O>,
    private readonly observe: BatchObserver = () => undefined,
  ) {}

  async predict(input: I, rowCount: number): Promise<O> {
    const startedAt = performance.now();
    const observed = (failed: boolean) =>
      this.observe({ rows: rowCount, requests: 1, queueUs: [0], computeUs: Math.round((performance.now() - startedAt) * 1000), failed });
    try {
      const outputs = await this.call(input, rowCount);
      observed(false);
      return outputs;
    } catch (error) {
      observed(true);
      throw error;
    }
  }
}
