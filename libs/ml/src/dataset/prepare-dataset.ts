import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MEDIA_TYPES, type DatasetSource, type PreparedDatasetRef, type Transform } from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import { DatasetError } from '../errors/dataset.error';
import type { CsvRecord } from './csv-record';
import { encodeLabels, encodeRows, transformWidth } from './encode';
import { fitTransform } from './fit-transform';
import { inferSchema } from './infer-schema';
import { parseCsv } from './parse-csv';
import { putPreparedDataset, type EncodedSplit } from './prepared-dataset-store';
import { resolveSourcePath } from './resolve-source-path';
import { stratifiedSplit } from './stratified-split';

export interface PrepareDatasetRequest {
  store: ArtifactStore;
  /** Parsed source (defaults applied): URI, label column, split fractions, seed, forced categorical columns. */
  source: DatasetSource;
  /** Directory that relative `source.uri` paths are resolved against. */
  dataRoot: string;
  /**
   * Outputs prepared earlier from this source and these params, by the digest of the raw file they read: when
   * the file's digest is among them and their artifacts are still stored, that output is returned as is.
   * @defaultValue none
   */
  reusable?: readonly { sourceDigest: string; output: PreparedDatasetRef }[];
}

/**
 * Reads a CSV, infers its schema, splits it (stratified, seeded), fits the transform on the train split,
 * encodes all splits and stores the prepared dataset and the transform. Same input → same artifact digests,
 * so a retried job rewrites nothing new.
 * @throws DatasetError for a missing file or data that cannot become a classifier's training set.
 */
export async function prepareDataset({ store, source, dataRoot, reusable = [] }: PrepareDatasetRequest): Promise<PreparedDatasetRef & { reused: boolean }> {
  const path = resolveSourcePath(source.uri, dataRoot);
  const bytes = await readSource(path, source.uri);
  const sourceDigest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  for (const candidate of reusable) {
    if (candidate.sourceDigest !== sourceDigest) continue;
    const { dataset, transform } = candidate.output;
    if ((await store.has(dataset.digest)) && (await store.has(transform.digest))) return { ...candidate.output, reused: true };
  }

  const rows = parseCsv(bytes.toString('utf8'), path);
  const schema = inferSchema(rows, source.labelColumn, source.categoricalColumns);
  const splits = stratifiedSplit(rows, (row) => row[source.labelColumn], source.split, source.seed);
  if (splits.test.length === 0) {
    throw new DatasetError(
      `${path}: ${rows.length} rows leave the test split (fraction ${source.split.test}) empty; add rows or raise split.test`,
    );
  }
  const transform = fitTransform(schema, splits.train);

  const datasetRef = await putPreparedDataset(store, sourceDigest, {
    task: 'classification',
    width: transformWidth(transform),
    train: encodeSplit(transform, splits.train),
    validation: encodeSplit(transform, splits.validation),
    test: encodeSplit(transform, splits.test),
  });
  const transformRef = await store.putJson(transform, MEDIA_TYPES.transform);
  return {
    sourceDigest,
    dataset: datasetRef,
    transform: transformRef,
    schema,
    task: 'classification',
    report: [],
    rowCounts: { train: splits.train.length, validation: splits.validation.length, test: splits.test.length },
    reused: false,
  };
}

async function readSource(path: string, uri: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DatasetError(`dataset file ${path} does not exist (source.uri "${uri}")`);
    if (code === 'EISDIR') throw new DatasetError(`dataset path ${path} is a directory, expected a CSV file`);
    throw error;
  }
}

function encodeSplit(transform: Transform, rows: readonly CsvRecord[]): EncodedSplit {
  const { features, rowCount } = encodeRows(transform, rows);
  return { rows: rowCount, features, labels: encodeLabels(transform, rows) };
}
