import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  datasetSourceSchema,
  MEDIA_TYPES,
  preparedDatasetSchema,
  transformSchema,
  type DatasetSourceInput,
  type SplitMatrix,
} from '@slipway/contracts';
import { DatasetError } from '../errors/dataset.error';
import { createTempArtifactStore, DATA_ROOT, type TempArtifactStore } from '../testing/temp-artifact-store';
import { prepareDataset } from './prepare-dataset';

const irisSource = (overrides: Partial<DatasetSourceInput> = {}) =>
  datasetSourceSchema.parse({ uri: 'iris.csv', labelColumn: 'species', ...overrides });

function columnMoments(matrix: SplitMatrix, column: number): { mean: number; std: number } {
  const values = matrix.features.map((row) => row[column]);
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length) };
}

describe('prepareDataset', () => {
  let temp: TempArtifactStore;
  beforeEach(async () => {
    temp = await createTempArtifactStore();
  });
  afterEach(() => temp.remove());

  it('prepares iris: schema, stratified row counts, stored artifacts that match their contracts', async () => {
    const ref = await prepareDataset({ store: temp.store, source: irisSource(), dataRoot: DATA_ROOT });

    const raw = await readFile(join(DATA_ROOT, 'iris.csv'));
    expect(ref.sourceDigest).toBe(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
    expect(ref.schema.columns.map((column) => column.kind)).toEqual(['numeric', 'numeric', 'numeric', 'numeric', 'label']);
    expect(ref.rowCounts.train + ref.rowCounts.validation + ref.rowCounts.test).toBe(150);
    expect(ref.dataset.mediaType).toBe(MEDIA_TYPES.preparedDataset);
    expect(ref.transform.mediaType).toBe(MEDIA_TYPES.transform);

    const dataset = await temp.store.getJson(ref.dataset.digest, preparedDatasetSchema);
    const transform = await temp.store.getJson(ref.transform.digest, transformSchema);
    expect(transform.label.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(dataset.train.features).toHaveLength(ref.rowCounts.train);
    expect(dataset.test.labels).toHaveLength(ref.rowCounts.test);
    for (const split of [dataset.train, dataset.validation, dataset.test]) {
      const perClass = [0, 1, 2].map((label) => split.labels.filter((value) => value === label).length);
      expect(Math.max(...perClass) - Math.min(...perClass)).toBeLessThanOrEqual(1);
    }
  });

  it('fits the transform on the train split only', async () => {
    const ref = await prepareDataset({ store: temp.store, source: irisSource(), dataRoot: DATA_ROOT });
    const dataset = await temp.store.getJson(ref.dataset.digest, preparedDatasetSchema);
    const transform = await temp.store.getJson(ref.transform.digest, transformSchema);

    for (const feature of transform.features) expect(feature.statistics.count).toBe(ref.rowCounts.train);
    for (let column = 0; column < 4; column += 1) {
      const train = columnMoments(dataset.train, column);
      expect(train.mean).toBeCloseTo(0, 5);
      expect(train.std).toBeCloseTo(1, 5);
      // Held-out rows were not fitted, so they are not exactly centred.
      expect(Math.abs(columnMoments(dataset.test, column).mean)).toBeGreaterThan(1e-4);
    }
  });

  it('is idempotent: the same input gives the same digests', async () => {
    const first = await prepareDataset({ store: temp.store, source: irisSource(), dataRoot: DATA_ROOT });
    const second = await prepareDataset({ store: temp.store, source: irisSource(), dataRoot: DATA_ROOT });
    expect(second).toEqual(first);
    const reseeded = await prepareDataset({ store: temp.store, source: irisSource({ seed: 99 }), dataRoot: DATA_ROOT });
    expect(reseeded.dataset.digest).not.toBe(first.dataset.digest);
  });

  it('accepts a file:// URL', async () => {
    const uri = pathToFileURL(join(DATA_ROOT, 'iris.csv')).href;
    const viaUrl = await prepareDataset({ store: temp.store, source: irisSource({ uri }), dataRoot: '/nowhere' });
    const viaPath = await prepareDataset({ store: temp.store, source: irisSource(), dataRoot: DATA_ROOT });
    expect(viaUrl).toEqual(viaPath);
  });

  it('names the resolved path of a missing file', async () => {
    const attempt = prepareDataset({ store: temp.store, source: irisSource({ uri: 'nope/missing.csv' }), dataRoot: '/srv/data' });
    await expect(attempt).rejects.toThrow(DatasetError);
    await expect(attempt).rejects.toThrow('dataset file /srv/data/nope/missing.csv does not exist (source.uri "nope/missing.csv")');
  });

  it('rejects URL schemes it cannot read', async () => {
    const attempt = prepareDataset({ store: temp.store, source: irisSource({ uri: 's3://bucket/iris.csv' }), dataRoot: DATA_ROOT });
    await expect(attempt).rejects.toThrow(/only file:\/\/ URLs and paths are supported/);
  });

  it('one-hot encodes categorical columns with the vocabulary from train', async () => {
    const dir = temp.store.location;
    const lines = ['colour,size,label'];
    for (let index = 0; index < 40; index += 1) lines.push(`${['red', 'blue'][index % 2]},${index},${index % 2 ? 'b' : 'a'}`);
    await writeFile(join(dir, 'small.csv'), lines.join('\n'));
    const ref = await prepareDataset({ store: temp.store, source: irisSource({ uri: 'small.csv', labelColumn: 'label' }), dataRoot: dir });
    const transform = await temp.store.getJson(ref.transform.digest, transformSchema);
    const dataset = await temp.store.getJson(ref.dataset.digest, preparedDatasetSchema);
    expect(transform.features.map((feature) => feature.kind)).toEqual(['categorical', 'numeric']);
    expect(dataset.train.features[0]).toHaveLength(3);
    for (const row of dataset.train.features) expect(row[0] + row[1]).toBe(1);
  });
});
