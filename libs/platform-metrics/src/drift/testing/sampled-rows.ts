import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { predictionLogOfRecords, transformSchema, type DriftReferenceFeature, type PredictionLogGroup, type Transform } from '@slipway/contracts';
import { transformReference } from '../transform-reference';

/** Test-only helpers of the drift specs. Not exported from the library. */

/** Training statistics of model "toy": `size` spread evenly over 0–10, `colour` red or blue half and half. */
export const toyTransform: Transform = transformSchema.parse(JSON.parse(readFileSync(join(__dirname, '../fixtures/toy-transform.json'), 'utf8')));
export const toyReference: DriftReferenceFeature[] = transformReference(toyTransform);

/** The log group of one sampled prediction of `model`@`version` with these feature columns (of equal length). */
export function sampledInputs(model: string, inputs: Record<string, (number | string)[]>, id: string, version = 1): PredictionLogGroup {
  const rows = Object.values(inputs)[0]?.length ?? 0;
  const record = { model, version, rows, latencyMs: 1, ok: true, prediction: { id, at: new Date().toISOString(), inputs, labels: Array.from({ length: rows }, () => 'a') } };
  return predictionLogOfRecords('serving-1', [record]).groups[0] as PredictionLogGroup;
}

/** The log group of one sampled prediction of toy@`version` with these sizes, colours alternating. */
export function sampledRows(sizes: number[], id: string, version = 1): PredictionLogGroup {
  return sampledInputs('toy', { size: sizes, colour: sizes.map((_, i) => (i % 2 ? 'red' : 'blue')) }, id, version);
}

/** `n` values evenly spread over [from, to]. */
export const spread = (from: number, to: number, n = 100): number[] => Array.from({ length: n }, (_, i) => from + ((i + 0.5) / n) * (to - from));
