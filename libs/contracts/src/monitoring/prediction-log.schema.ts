import { z } from 'zod';

/**
 * Serving's prediction log, column by column. Serving answers thousands of requests a second and sends every one
 * of them to monitoring at 100% sampling; one object per request cost it about 8 µs of event loop per request to
 * build, validate and serialise, columns of plain numbers and strings about 1.5 µs (bench:monitoring), in well
 * under half the bytes.
 */

/** Every request one model version answered in the batch: entry i of each column is request i. */
const answeredRequestsSchema = z.object({
  latencyMs: z.array(z.number().nonnegative()),
  rows: z.array(z.number().int().nonnegative()),
  ok: z.array(z.boolean()),
});

/**
 * The sampled successful predictions, what drift detection and live accuracy need. Sample i owns the next
 * `rows[i]` entries of `labels` and of every `inputs` column, in sample order.
 */
const predictionSamplesSchema = z.object({
  /** Answers feedback: `POST /api/feedback` names predictions by this id (the request's V2 `id`, or one serving made up). */
  ids: z.array(z.string().min(1)),
  /** When each answer was ready, in epoch milliseconds: a number per prediction is cheaper to check and send than an ISO string. */
  answeredAtMs: z.array(z.number().int().nonnegative()),
  rows: z.array(z.number().int().nonnegative()),
  /** Raw feature values per column, as the clients sent them (null: missing, imputed), the rows of all samples one after another. */
  inputs: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.null()]))),
  /** Predicted label per row: a class of a classifier, the value of a regressor. */
  labels: z.array(z.union([z.string(), z.number()])),
});

export const predictionLogGroupSchema = z
  .object({
    model: z.string().min(1),
    version: z.number().int(),
    requests: answeredRequestsSchema,
    samples: predictionSamplesSchema,
  })
  .superRefine((group, context) => {
    const mismatch = (path: (string | number)[], length: number, expected: number, of: string) =>
      context.addIssue({ code: 'custom', path, message: `has ${length} entries but ${of} gives ${expected}` });
    const { requests, samples } = group;
    for (const column of ['rows', 'ok'] as const) {
      if (requests[column].length !== requests.latencyMs.length) mismatch(['requests', column], requests[column].length, requests.latencyMs.length, 'requests.latencyMs');
    }
    for (const column of ['answeredAtMs', 'rows'] as const) {
      if (samples[column].length !== samples.ids.length) mismatch(['samples', column], samples[column].length, samples.ids.length, 'samples.ids');
    }
    const sampledRows = samples.rows.reduce((sum, rows) => sum + rows, 0);
    if (samples.labels.length !== sampledRows) mismatch(['samples', 'labels'], samples.labels.length, sampledRows, 'the sum of samples.rows');
    for (const [feature, values] of Object.entries(samples.inputs)) {
      if (values.length !== sampledRows) mismatch(['samples', 'inputs', feature], values.length, sampledRows, 'the sum of samples.rows');
    }
  });
export type PredictionLogGroup = z.infer<typeof predictionLogGroupSchema>;

/** One events-queue job of prediction logs: a group per model version the replica answered for. */
export const predictionLogEventSchema = z.object({
  /** The serving replica that answered, e.g. `serving@host`. */
  source: z.string().min(1),
  groups: z.array(predictionLogGroupSchema).min(1),
});
export type PredictionLogEvent = z.infer<typeof predictionLogEventSchema>;

/** A group with no requests yet, to append to. */
export function emptyPredictionLogGroup(model: string, version: number): PredictionLogGroup {
  return {
    model,
    version,
    requests: { latencyMs: [], rows: [], ok: [] },
    samples: { ids: [], answeredAtMs: [], rows: [], inputs: {}, labels: [] },
  };
}

/** The number of answered requests an event carries. */
export function predictionLogRequestCount(event: PredictionLogEvent): number {
  return event.groups.reduce((sum, group) => sum + group.requests.latencyMs.length, 0);
}

/** Where each sample's rows lie in the row columns (`labels`, every `inputs` column): from `start` to `end`, exclusive. */
export function sampleRowRanges(samples: PredictionLogGroup['samples']): { id: string; start: number; end: number }[] {
  let start = 0;
  return samples.ids.map((id, i) => {
    const range = { id, start, end: start + (samples.rows[i] as number) };
    start = range.end;
    return range;
  });
}

/** One request as a record: the row form of the log, which serving replicas before `prediction-log` sent. */
export const predictionRecordSchema = z.object({
  model: z.string(),
  version: z.number().int(),
  rows: z.number().int().nonnegative(),
  latencyMs: z.number().nonnegative(),
  ok: z.boolean(),
  prediction: z
    .object({
      id: z.string().min(1),
      at: z.iso.datetime(),
      inputs: z.record(z.string(), z.array(z.union([z.number(), z.string()]))),
      labels: z.array(z.string()),
    })
    .optional(),
});
export type PredictionRecord = z.infer<typeof predictionRecordSchema>;

/** Turns records into the columnar log: one group per model version, in the records' order. */
export function predictionLogOfRecords(source: string, records: readonly PredictionRecord[]): PredictionLogEvent {
  const groups = new Map<string, PredictionLogGroup>();
  for (const record of records) {
    const key = `${record.model}@${record.version}`;
    let group = groups.get(key);
    if (!group) {
      group = emptyPredictionLogGroup(record.model, record.version);
      groups.set(key, group);
    }
    group.requests.latencyMs.push(record.latencyMs);
    group.requests.rows.push(record.rows);
    group.requests.ok.push(record.ok);
    const prediction = record.prediction;
    if (!prediction) continue;
    group.samples.ids.push(prediction.id);
    group.samples.answeredAtMs.push(Date.parse(prediction.at));
    group.samples.rows.push(prediction.labels.length);
    group.samples.labels.push(...prediction.labels);
    for (const [feature, values] of Object.entries(prediction.inputs)) (group.samples.inputs[feature] ??= []).push(...values);
  }
  return { source, groups: [...groups.values()] };
}

/**
 * The `prediction-batch` job, one record per request. Monitoring still reads it, as the columnar event, so the jobs
 * an older serving replica queued during a rolling upgrade are counted rather than failed.
 */
export const legacyPredictionBatchSchema = z
  .object({ source: z.string().min(1), records: z.array(predictionRecordSchema).min(1) })
  .transform(({ source, records }) => predictionLogOfRecords(source, records))
  .pipe(predictionLogEventSchema);
