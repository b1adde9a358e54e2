import { setImmediate as nextTurn } from 'node:timers/promises';
import { MEDIA_TYPES, type ColumnReport, type DatasetSource, type InferredSchema, type PreparedDatasetRef, type Transform } from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import { DatasetError } from '../errors/dataset.error';
import { pipelineRoles, type PipelineRoles } from './columns/column-roles';
import { labelColumn, labelNeedsText, type LabelColumn } from './columns/label-column';
import { encodeWith, transformWidth } from './encode';
import { fitColumns } from './fit/fit-columns';
import { fitLabel } from './fit/fit-label';
import { putPreparedDataset, type EncodedDataset, type EncodedSplit } from './prepared-dataset-store';
import { readTable } from './readers/read-table';
import { openSource } from './sources/open-source';
import type { RawSource } from './sources/raw-source';
import type { SourceAccess } from './sources/source-access';
import { sourceFormat } from './sources/source-format';
import { randomSplit } from './split/random-split';
import { stratifiedSplit, type Splits } from './split/stratified-split';
import { valueReader, type Table } from './table/table';

export type { SourceAccess } from './sources/source-access';

export interface PrepareDatasetRequest extends SourceAccess {
  store: ArtifactStore;
  /** Parsed source (defaults applied): where the data is, its label, task, roles, split, missing-value tokens. */
  source: DatasetSource;
  /**
   * Outputs prepared earlier from this source and these params, by the digest of the raw bytes they read: when
   * the source's digest is among them and their artifacts are still stored, that output is returned as is.
   * @defaultValue none
   */
  reusable?: readonly { sourceDigest: string; output: PreparedDatasetRef }[];
}

/**
 * Reads a data set (CSV, JSON Lines or Parquet, from the data root, an allowed http(s) host or the artifact store)
 * into columns, decides each column's role and the task, splits it (stratified for classification, random for
 * regression; seeded), fits the transform on the train split, encodes every split and stores the prepared dataset
 * and the transform. The report says per column what was found and done. Same input → same artifact digests, so a
 * retried job writes nothing new.
 * @throws DatasetError for a source that cannot be read or data that cannot become a training set;
 *   DataSourceUnavailableError when a remote source fails in a way worth retrying.
 */
export async function prepareDataset(request: PrepareDatasetRequest): Promise<PreparedDatasetRef & { reused: boolean }> {
  const { store, source, reusable = [] } = request;
  const raw = await openSource(source.uri, store, request);
  for (const candidate of reusable) {
    if (candidate.sourceDigest !== raw.digest) continue;
    const { dataset, transform } = candidate.output;
    if ((await store.has(dataset.digest)) && (await store.has(transform.digest))) return { ...candidate.output, reused: true };
  }

  // The table is only reachable inside prepareSplits, so its columns are freed before the blobs are written.
  const prepared = await prepareSplits(raw, source);
  const datasetRef = await putPreparedDataset(store, raw.digest, prepared.encoded);
  const transformRef = await store.putJson(prepared.transform, MEDIA_TYPES.transform);
  return {
    sourceDigest: raw.digest,
    dataset: datasetRef,
    transform: transformRef,
    schema: prepared.schema,
    task: prepared.transform.label.task,
    report: prepared.report,
    rowCounts: { train: prepared.encoded.train.rows, validation: prepared.encoded.validation.rows, test: prepared.encoded.test.rows },
    reused: false,
  };
}

interface PreparedSplits {
  transform: Transform;
  encoded: EncodedDataset;
  schema: InferredSchema;
  report: ColumnReport[];
}

async function prepareSplits(raw: RawSource, source: DatasetSource): Promise<PreparedSplits> {
  const roles = pipelineRoles(source);
  const { table, label } = await readLabelledTable(raw, source, roles);
  const splits = split(label, source);
  if (splits.test.length === 0) {
    throw new DatasetError(`${raw.description}: ${label.rows.length} labelled rows leave the test split (fraction ${source.split.test}) empty; add rows or raise split.test`);
  }
  const columns = await fitColumns(table, label.name, splits.train, source, roles);
  const fittedLabel = fitLabel(label, splits.train);
  const kept = columns.flatMap(({ column, fitted }) => (fitted.kind === 'dropped' ? [] : [{ feature: fitted.feature, read: valueReader(column) }]));
  const features = kept.map(({ feature }) => feature);
  if (features.length === 0) throw new DatasetError(`${raw.description}: no feature is left once ${columns.map(({ column }) => `"${column.name}"`).join(', ')} were dropped (see the report's reasons)`);
  const transform: Transform = { version: 2, features, label: fittedLabel.transform, missingValues: source.missingValues };

  const encodeSplit = async (rows: readonly number[]): Promise<EncodedSplit> => {
    await nextTurn();
    const { features: encoded } = encodeWith(transform, rows.length, (_name, feature) => {
      const { read } = kept[feature];
      return (index) => read(rows[index]);
    });
    return { rows: rows.length, features: encoded, labels: fittedLabel.encode(rows) };
  };
  const encoded: EncodedDataset = {
    task: transform.label.task,
    width: transformWidth(transform),
    train: await encodeSplit(splits.train),
    validation: await encodeSplit(splits.validation),
    test: await encodeSplit(splits.test),
  };

  const labelReport: ColumnReport = {
    name: label.name,
    kind: 'label',
    source: label.origin,
    missing: label.missing,
    missingShare: label.missing / table.rowCount,
    distinct: label.distinct,
    action: fittedLabel.action,
    warnings: fittedLabel.warnings,
  };
  const reportByName = new Map(columns.map(({ column, report }) => [column.name, report]));
  const report = table.columns.map((column) => reportByName.get(column.name) ?? labelReport);
  return { transform, encoded, schema: { columns: report.map(({ name, kind }) => ({ name, kind })) }, report };
}

/**
 * Reads the table and its label. A numeric label learnt as classes whose spelling the numbers lost ("1.0") is read
 * again as text, so the classes are named as the data names them.
 */
async function readLabelledTable(raw: RawSource, source: DatasetSource, roles: PipelineRoles): Promise<{ table: Table; label: LabelColumn }> {
  const read = (storageOf: PipelineRoles['storageOf']) => readTable(raw, { format: sourceFormat(source.format, raw.name), missingValues: source.missingValues, storageOf });
  const table = await read(roles.storageOf);
  roles.assertKnown(table.columns.map((column) => column.name));
  const label = labelColumn(table, source);
  if (!labelNeedsText(table, label)) return { table, label };
  const asText = await read((name) => (name === label.name ? 'text' : roles.storageOf(name)));
  return { table: asText, label: labelColumn(asText, { ...source, task: label.task }) };
}

function split(label: LabelColumn, source: DatasetSource): Splits<number> {
  return label.task === 'classification'
    ? stratifiedSplit(label.rows, label.classOf, source.split, source.seed)
    : randomSplit(label.rows, source.split, source.seed);
}
