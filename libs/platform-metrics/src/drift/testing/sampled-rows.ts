import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { predictionLogOfRecords, transformSchema, type PredictionLogGroup, type Transform } from '@slipway/contracts';

/** Test-only helpers of the drift specs. Not exported from the library. */

/** Training statistics of model "toy": `size` spread evenly over 0–10, `colour` red or blue half and half. */
export const toyTransform: Transform = transformSchema.parse(JSON.parse(readFileSync(join(__dirname, '../fixtures/toy-transform.json'), 'utf8')));

/** The log group of one sampled prediction of toy@`version` with these sizes, colours alternating. */
export function sampledRows(sizes: number[], id: string, version = 1): PredictionLogGroup {
  const inputs = { size: sizes, colour: sizes.map((_, i) => (i % 2 ? 'red' : 'blue')) };
  const record = { model: 'toy', version, rows: sizes.length, latencyMs: 1, ok: true, prediction: { id, at: new Date().toISOString(), inputs, labels: sizes.map(() => 'a') } };
  return predictionLogOfRecords('serving-1', [record]).groups[0] as PredictionLogGroup;
}

/** `n` values evenly spread over [from, to]. */
export const spread = (from: number, to: number, n = 100): number[] => Array.from({ length: n }, (_, i) => from + ((i + 0.5) / n) * (to - from));
