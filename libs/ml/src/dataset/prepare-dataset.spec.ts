import { createHash } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { datasetSourceSchema, DEFAULT_MISSING_VALUES, MEDIA_TYPES, transformSchema, type DatasetSourceInput, type PreparedDatasetRef, type Transform } from '@slipway/contracts';
import { DatasetError } from '../errors/dataset.error';
import { createTempArtifactStore, DATA_ROOT, type TempArtifactStore } from '../testing/temp-artifact-store';
import { encodeRows, type RawValue } from './encode';
import { parseCsv } from './parse-csv';
import { prepareDataset } from './prepare-dataset';
import { getPreparedDataset, type EncodedSplit } from './prepared-dataset-store';
import { stratifiedSplit } from './split/stratified-split';

const source = (overrides: Partial<DatasetSourceInput> = {}) => datasetSourceSchema.parse({ uri: 'iris.csv', labelColumn: 'species', ...overrides });

function columnMoments(split: EncodedSplit, width: number, column: number): { mean: number; std: number } {
  const values = Array.from({ length: split.rows }, (_, row) => split.features[row * width + column]);
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length) };
}

/** The schema as "name kind" per column, in column order. */
const kindsOf = (ref: PreparedDatasetRef) => ref.schema.columns.map(({ name, kind }) => `${name} ${kind}`);

/** 200 rows with a bit of everything real tables hold: gaps, tokens, categories, dates, an identifier, a constant. */
function mixedCsv(): string {
  const lines = ['id,size,colour,city,day,site,note,label'];
  for (let row = 0; row < 200; row += 1) {
    const size = row % 9 === 0 ? 'NA' : row % 13 === 0 ? '' : String(((row * 37) % 101) / 4);
    const colour = row % 11 === 0 ? '?' : ['red', 'green', 'blue'][row % 3];
    const day = row % 17 === 0 ? 'NA' : `2012-${String(1 + (row % 12)).padStart(2, '0')}-${String(1 + (row % 28)).padStart(2, '0')}`;
    lines.push([1000 + row, size, colour, `city-${(row * 7) % 90}`, day, 'Anvers', row % 50 === 0 ? 'checked' : row % 50 === 25 ? 'recheck' : '', ['a', 'b', 'c'][(row * row) % 3]].join(','));
  }
  return lines.join('\n');
}

describe('prepareDataset', () => {
  let temp: TempArtifactStore;
  beforeEach(async () => {
    temp = await createTempArtifactStore();
  });
  afterEach(() => temp.remove());
  const prepare = (overrides: Partial<DatasetSourceInput> = {}, dataRoot = DATA_ROOT) => prepareDataset({ store: temp.store, source: source(overrides), dataRoot });
  const writeData = async (name: string, content: string) => {
    await writeFile(join(temp.store.location, name), content);
    return temp.store.location;
  };

  it('prepares iris: schema, report, stratified row counts, stored artifacts that match their contracts', async () => {
    const ref = await prepare();
    const raw = await readFile(join(DATA_ROOT, 'iris.csv'));
    expect(ref.sourceDigest).toBe(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
    expect(ref.task).toBe('classification');
    expect(ref.schema.columns.map((column) => column.kind)).toEqual(['numeric', 'numeric', 'numeric', 'numeric', 'label']);
    expect(ref.report[0]).toEqual({ name: 'sepal_length', kind: 'numeric', source: 'inferred', missing: 0, missingShare: 0, distinct: 35, action: 'standardised; missing → median 5.8', warnings: [] });
    expect(ref.report[4]).toMatchObject({ name: 'species', kind: 'label', distinct: 3, action: 'classification: 3 classes, stratified split' });
    expect(ref.rowCounts.train + ref.rowCounts.validation + ref.rowCounts.test).toBe(150);
    expect(ref.dataset.mediaType).toBe(MEDIA_TYPES.preparedDataset);
    expect(ref.transform.mediaType).toBe(MEDIA_TYPES.transform);

    const dataset = await getPreparedDataset(temp.store, ref.dataset.digest);
    const transform = await temp.store.getJson(ref.transform.digest, transformSchema);
    expect(transform.label).toEqual({ task: 'classification', name: 'species', classes: ['setosa', 'versicolor', 'virginica'] });
    expect(dataset.train.labels).toBeInstanceOf(Int32Array);
    for (const split of [dataset.train, dataset.validation, dataset.test]) {
      const perClass = [0, 1, 2].map((label) => split.labels.filter((value) => value === label).length);
      expect(Math.max(...perClass) - Math.min(...perClass)).toBeLessThanOrEqual(1);
    }
  });

  it('fits the transform on the train split only', async () => {
    const ref = await prepare();
    const dataset = await getPreparedDataset(temp.store, ref.dataset.digest);
    const transform = await temp.store.getJson(ref.transform.digest, transformSchema);
    for (const feature of transform.features) expect(feature.statistics.count).toBe(ref.rowCounts.train);
    for (let column = 0; column < 4; column += 1) {
      const train = columnMoments(dataset.train, dataset.width, column);
      expect(train.mean).toBeCloseTo(0, 5);
      expect(train.std).toBeCloseTo(1, 5);
      // Held-out rows were not fitted, so they are not exactly centred.
      expect(Math.abs(columnMoments(dataset.test, dataset.width, column).mean)).toBeGreaterThan(1e-4);
    }
  });

  it('is idempotent: the same input gives the same digests, another seed others', async () => {
    const first = await prepare();
    expect(await prepare()).toEqual(first);
    expect((await prepare({ seed: 99 })).dataset.digest).not.toBe(first.dataset.digest);
  });

  it('reads a file:// URL inside the data root like the path', async () => {
    const viaUrl = await prepare({ uri: pathToFileURL(join(DATA_ROOT, 'iris.csv')).href });
    expect(viaUrl).toEqual(await prepare());
  });

  it('returns a reusable earlier output for the same raw bytes instead of preparing again', async () => {
    const first = await prepare();
    const reused = await prepareDataset({ store: temp.store, source: source({ seed: 99 }), dataRoot: DATA_ROOT, reusable: [{ sourceDigest: first.sourceDigest, output: first }] });
    expect(reused).toEqual({ ...first, reused: true });
  });

  it('prepares messy columns and encodes them exactly as serving will encode the raw rows', async () => {
    const csv = mixedCsv();
    const ref = await prepare({ uri: 'mixed.csv', labelColumn: 'label' }, await writeData('mixed.csv', csv));
    expect(kindsOf(ref)).toEqual(['id dropped', 'size numeric', 'colour categorical', 'city hashed', 'day date', 'site dropped', 'note categorical', 'label label']);
    const transform = await temp.store.getJson(ref.transform.digest, transformSchema);
    expect(transform.features[0]).toMatchObject({ name: 'size', missingIndicator: true, statistics: { missing: expect.any(Number) } });
    expect(transform.features[1]).toMatchObject({ name: 'colour', vocabulary: ['blue', 'green', 'red'], missingBucket: true });

    // The rows of each split, recovered the way the splits were drawn, with missing-value tokens as serving's nulls.
    const records = parseCsv(csv, 'mixed.csv').map((record) =>
      Object.fromEntries(Object.entries(record).map(([name, value]): [string, RawValue] => [name, (DEFAULT_MISSING_VALUES as readonly string[]).includes(value) ? null : value])),
    );
    const splits = stratifiedSplit(records, (record) => String(record['label']), source().split, source().seed);
    const dataset = await getPreparedDataset(temp.store, ref.dataset.digest);
    for (const name of ['train', 'validation', 'test'] as const) {
      const served = encodeRows(transform, splits[name]);
      expect({ name, width: served.width, features: Array.from(served.features) }).toEqual({ name, width: dataset.width, features: Array.from(dataset[name].features) });
    }
  });

  it('drops rows without a label and says so in the label’s report line', async () => {
    const csv = ['x,label', ...Array.from({ length: 60 }, (_, row) => `${row % 7},${row % 10 === 0 ? 'NA' : ['a', 'b'][row % 2]}`)].join('\n');
    const ref = await prepare({ uri: 'gaps.csv', labelColumn: 'label' }, await writeData('gaps.csv', csv));
    expect(ref.rowCounts.train + ref.rowCounts.validation + ref.rowCounts.test).toBe(54);
    expect(ref.report[1]).toMatchObject({ kind: 'label', missing: 6, missingShare: 0.1, action: 'classification: 2 classes, stratified split; 6 rows without a label dropped' });
  });

  it('learns a numeric label with many values as a regression: float32 standardised labels, a seeded random split', async () => {
    const csv = ['x,y', ...Array.from({ length: 100 }, (_, row) => `${row % 10},${(row * 1.5 + (row % 10)).toFixed(1)}`)].join('\n');
    const ref = await prepare({ uri: 'regression.csv', labelColumn: 'y' }, await writeData('regression.csv', csv));
    expect(ref.task).toBe('regression');
    expect(ref.rowCounts).toEqual({ train: 70, validation: 15, test: 15 });
    const transform: Transform = await temp.store.getJson(ref.transform.digest, transformSchema);
    expect(transform.label).toMatchObject({ task: 'regression', name: 'y', statistics: { count: 70 } });
    const dataset = await getPreparedDataset(temp.store, ref.dataset.digest);
    expect(dataset.task).toBe('regression');
    expect(dataset.train.labels).toBeInstanceOf(Float32Array);
    const labels = Array.from(dataset.train.labels);
    expect(labels.reduce((sum, value) => sum + value, 0) / labels.length).toBeCloseTo(0, 5);
    expect(ref.report[1].action).toMatch(/^regression: standardised \(mean [\d.]+, scale [\d.]+\), random split$/);
  });

  it('reads JSON Lines and Parquet, by extension or by source.format', async () => {
    const lines = Array.from({ length: 40 }, (_, row) => JSON.stringify({ x: row % 6, colour: ['red', 'blue'][row % 2], label: row % 3 === 0 ? 'p' : 'q' }));
    const root = await writeData('rows.jsonl', lines.join('\n'));
    await writeFile(join(root, 'rows.data'), lines.join('\n'));
    const jsonl = await prepare({ uri: 'rows.jsonl', labelColumn: 'label' }, root);
    expect(jsonl.schema.columns.map((column) => column.kind)).toEqual(['numeric', 'categorical', 'label']);
    expect((await prepare({ uri: 'rows.data', labelColumn: 'label', format: 'jsonl' }, root)).dataset).toEqual(jsonl.dataset);

    await copyFile(join(__dirname, 'fixtures/weather.parquet'), join(root, 'weather.parquet'));
    const parquet = await prepare({ uri: 'weather.parquet', labelColumn: 'weather' }, root);
    expect(kindsOf(parquet)).toEqual(['reading_id dropped', 'day date', 'observed_at date', 'temp_max numeric', 'wind numeric', 'station categorical', 'weather label']);
    expect(parquet.report[0].action).toBe('dropped: every value is distinct (an identifier: the integers 1…40 in sequence)');
  });

  it('reads a source from the artifact store', async () => {
    const bytes = await readFile(join(DATA_ROOT, 'iris.csv'));
    const stored = await temp.store.put(bytes, MEDIA_TYPES.rawDataset);
    const ref = await prepare({ uri: `artifact:${stored.digest}` });
    expect(ref.sourceDigest).toBe(stored.digest);
    expect(ref.dataset).toEqual((await prepare()).dataset);
  });

  it('names what stops a preparation: unknown columns, an empty test split, no feature left', async () => {
    await expect(prepare({ columns: { drop: ['petals'] } })).rejects.toThrow(new DatasetError('"petals" (columns.drop) is not in the data; its columns are "sepal_length", "sepal_width", "petal_length", "petal_width", "species"'));
    const tiny = await writeData('tiny.csv', 'x,label\n1,a\n2,b\n');
    await expect(prepare({ uri: 'tiny.csv', labelColumn: 'label' }, tiny)).rejects.toThrow(/2 labelled rows leave the test split \(fraction 0\.15\) empty; add rows or raise split\.test/);
    const drop = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
    await expect(prepare({ columns: { drop } })).rejects.toThrow(/no feature is left once "sepal_length", "sepal_width", "petal_length", "petal_width" were dropped/);
  });
});
