import type { PredictionLogGroup } from '@slipway/contracts';
import { answersOf, type Predictions } from '../protocol/model-outputs';
import type { RawColumn } from '../protocol/v2-infer';

/**
 * A sampled prediction as the request left it: references, not copies. The request path only keeps these; the
 * monitoring columns (label lookup, plain numbers) are filled when its batch is sent.
 */
interface SampledRequest {
  /** The request's V2 id, or the one serving made up (the `x-slipway-prediction-id` header). */
  id: string;
  /** When the answer was ready, in epoch milliseconds. */
  at: number;
  /** Raw feature columns as decoded from the request (null: missing); nothing writes to them after decoding. */
  columns: Readonly<Record<string, RawColumn>>;
  rows: number;
}

/**
 * A trained model's sample carries its predictions (labels are looked up when the batch is sent); an imported
 * model's, the one answer per row read from its outputs.
 */
export type PredictionSample = SampledRequest & ({ predictions: Predictions } | { labels: readonly (string | number)[] });

/**
 * Appends a sample to its model version's columns: id, time, row count, the raw inputs and one predicted label (or
 * value) per row. Serving decodes exactly the model's features for every request, so every sample of a version fills the same
 * input columns.
 */
export function appendSample(samples: PredictionLogGroup['samples'], sample: PredictionSample): void {
  samples.ids.push(sample.id);
  samples.answeredAtMs.push(sample.at);
  samples.rows.push(sample.rows);
  for (const name of Object.keys(sample.columns)) {
    const column = sample.columns[name] as RawColumn;
    const values = (samples.inputs[name] ??= []);
    for (let row = 0; row < column.length; row += 1) values.push(column[row] as number | string | null);
  }
  for (const answer of 'labels' in sample ? sample.labels : answersOf(sample.predictions, sample.rows)) samples.labels.push(answer);
}
