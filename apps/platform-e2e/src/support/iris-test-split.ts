import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetSourceSchema, type DatasetSourceInput } from '@slipway/contracts';
import { parseCsv, stratifiedSplit, type CsvRecord } from '@slipway/ml';
import { WORKSPACE_ROOT } from './platform-under-test';

/** The held-out test rows of a pipeline's data set: the same seeded split data-prep makes. */
export function heldOutTestRows(source: DatasetSourceInput): { rows: CsvRecord[]; features: string[]; label: string } {
  const parsed = datasetSourceSchema.parse(source);
  const path = join(WORKSPACE_ROOT, parsed.uri);
  const all = parseCsv(readFileSync(path, 'utf8'), path);
  const { test } = stratifiedSplit(all, (row) => row[parsed.labelColumn] ?? '', parsed.split, parsed.seed);
  const features = Object.keys(all[0] ?? {}).filter((column) => column !== parsed.labelColumn);
  return { rows: test, features, label: parsed.labelColumn };
}

/** A V2 infer request with one FP32 input per feature column. */
export function v2RequestFor(rows: CsvRecord[], features: string[]) {
  return {
    id: 'e2e',
    inputs: features.map((name) => ({ name, datatype: 'FP32', shape: [rows.length], data: rows.map((row) => Number(row[name])) })),
  };
}
