import type { PredictionPayload } from '@slipway/contracts';
import { argmaxLabels } from '../protocol/v2-infer';

/**
 * A sampled prediction as the request left it: references, not copies. The request path only keeps these; the
 * monitoring payload (label lookup, ISO time, plain arrays) is built when its batch is sent.
 */
export interface PredictionSample {
  /** The request's V2 id, or the one serving made up (the `x-slipway-prediction-id` header). */
  id: string;
  /** When the answer was ready, in epoch milliseconds. */
  at: number;
  /** Raw feature columns as decoded from the request; nothing writes to them after decoding. */
  columns: Readonly<Record<string, ArrayLike<number | string>>>;
  /** Row-major rows × classes probabilities of this request alone. */
  probabilities: Float32Array;
  classes: readonly string[];
  rows: number;
}

/** The contract's payload of a sample: inputs as plain arrays, one predicted label per row. */
export function predictionPayload(sample: PredictionSample): PredictionPayload {
  const inputs: Record<string, (number | string)[]> = {};
  for (const name of Object.keys(sample.columns)) {
    const column = sample.columns[name] as ArrayLike<number | string>;
    inputs[name] = Array.isArray(column) ? column : Array.from(column);
  }
  return { id: sample.id, at: new Date(sample.at).toISOString(), inputs, labels: argmaxLabels(sample.probabilities, sample.classes, sample.rows) };
}
