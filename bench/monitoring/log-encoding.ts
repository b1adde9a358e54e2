/**
 * What one batch of the prediction log costs serving's event loop, per request: building the columns from the
 * references the request path kept (predictionLogOf), validating them as the typed producer does, and
 * serialising them as BullMQ does. Every request in flight waits through these, so they bound the stall.
 */
import { randomUUID } from 'node:crypto';
import { predictionLogEventSchema } from '@slipway/contracts';
import { predictionLogOf, type RecordedRequest } from '@slipway/inference';

const CLASSES = ['setosa', 'versicolor', 'virginica'];
const REPETITIONS = 300;

export interface LogEncodingCost {
  requestsPerBatch: number;
  repetitions: number;
  /** Medians over the repetitions, in µs per request. */
  buildUs: number;
  validateUs: number;
  serialiseUs: number;
  totalUs: number;
  bytesPerRequest: number;
}

/** Requests as serving keeps them at 100% sampling: one row each, columns as decoded from V2 JSON. */
function servingRequests(count: number): RecordedRequest[] {
  return Array.from({ length: count }, (_, i) => ({
    model: 'iris',
    version: 1,
    rows: 1,
    durationUs: 900 + (i % 50) * 10,
    ok: true,
    prediction: {
      id: randomUUID(),
      at: Date.now(),
      columns: { sepal_length: [4.5 + (i % 30) / 10], sepal_width: [2.2 + (i % 20) / 10], petal_length: [1 + (i % 60) / 10], petal_width: [0.1 + (i % 25) / 10] },
      predictions: { task: 'classification' as const, probabilities: Float32Array.from([0.1, 0.7, 0.2].map((p, k) => (k === i % 3 ? p + 0.5 : p))), classes: CLASSES },
      rows: 1,
    },
  }));
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export function measureLogEncoding(requestsPerBatch: number): LogEncodingCost {
  const requests = servingRequests(requestsPerBatch);
  const build: number[] = [];
  const validate: number[] = [];
  const serialise: number[] = [];
  let bytes = 0;
  for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
    const startedAt = performance.now();
    const event = predictionLogOf('bench', requests);
    const builtAt = performance.now();
    if (!predictionLogEventSchema.safeParse(event).success) throw new Error('the bench built a prediction log its own contract refuses');
    const validatedAt = performance.now();
    bytes = JSON.stringify(event).length;
    const serialisedAt = performance.now();
    build.push(builtAt - startedAt);
    validate.push(validatedAt - builtAt);
    serialise.push(serialisedAt - validatedAt);
  }
  // The first third warms the JIT up; only the rest is timed.
  const perRequestUs = (durations: number[]) => Math.round((medianOf(durations.slice(REPETITIONS / 3)) * 1000 * 100) / requestsPerBatch) / 100;
  const buildUs = perRequestUs(build);
  const validateUs = perRequestUs(validate);
  const serialiseUs = perRequestUs(serialise);
  return {
    requestsPerBatch,
    repetitions: REPETITIONS,
    buildUs,
    validateUs,
    serialiseUs,
    totalUs: Math.round((buildUs + validateUs + serialiseUs) * 100) / 100,
    bytesPerRequest: Math.round(bytes / requestsPerBatch),
  };
}
