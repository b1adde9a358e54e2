import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { datasetSourceSchema, DEFAULT_SERVING_ALIAS, modelSpecSchema, type V2InferRequest, type V2InferResponse } from '@slipway/contracts';
import { prepareDataset, trainModel } from '@slipway/ml';
import { InferenceInputError } from '@slipway/model-runtimes';
import type { LoadedTrainedModel } from '../repository/loaded-model';
import { ModelRepository } from '../repository/model-repository';
import { asTrained, createWorkspace, modelVersion, prepareIris, trainIris, untrainedModel, type ModelWorkspace } from '../testing/model-fixtures';
import { runV2Inference } from './v2-infer';
import { buildV2ModelMetadata } from './v2-model-metadata';

jest.setTimeout(60_000);

const IRIS_FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

/** The V2 response the model gives the request. */
const respond = async (loaded: LoadedTrainedModel, body: unknown): Promise<V2InferResponse> => (await runV2Inference(loaded, body)).response;

interface IrisRow {
  features: number[];
  species: string;
}

async function readIrisRows(): Promise<IrisRow[]> {
  const text = await readFile(resolve(__dirname, '../../../../data/iris.csv'), 'utf8');
  const [header, ...lines] = text.trim().split('\n');
  expect(header.split(',')).toEqual([...IRIS_FEATURES, 'species']);
  return lines.map((line) => {
    const cells = line.split(',');
    return { features: cells.slice(0, 4).map(Number), species: cells[4] };
  });
}

/** A V2 request with one `[N]` FP32 input per iris feature. */
function irisRequest(rows: IrisRow[], extra: Partial<V2InferRequest> = {}): V2InferRequest {
  return {
    inputs: IRIS_FEATURES.map((name, column) => ({
      name,
      datatype: 'FP32',
      shape: [rows.length],
      data: rows.map((row) => row.features[column]),
    })),
    ...extra,
  };
}

async function expectInputError(body: unknown, loaded: LoadedTrainedModel, field: string): Promise<InferenceInputError> {
  let caught: unknown;
  try {
    await respond(loaded, body);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InferenceInputError);
  const error = caught as InferenceInputError;
  expect(error.field).toBe(field);
  expect(error.message).toContain(`"${field}"`);
  return error;
}

describe('V2 inference', () => {
  let workspace: ModelWorkspace;
  let repository: ModelRepository;
  let iris: LoadedTrainedModel;
  let shop: LoadedTrainedModel;
  let minutes: LoadedTrainedModel;
  let rows: IrisRow[];
  let irisClasses: string[];

  beforeAll(async () => {
    workspace = await createWorkspace();
    repository = new ModelRepository(workspace.store);
    const irisData = await prepareIris(workspace.store);
    iris = asTrained(await repository.load(modelVersion('iris', 1, await trainIris(workspace.store, irisData, 5), irisData)));
    if (iris.signature.task !== 'classification') throw new Error('the iris fixture is a classifier');
    irisClasses = iris.signature.classes;

    // A second model with a categorical feature, to cover BYTES inputs.
    const colours = ['red', 'green', 'blue'];
    const csv = await workspace.writeCsv(
      'shop.csv',
      ['size,colour,bought', ...Array.from({ length: 40 }, (_, row) => `${(row % 7) + 0.5},${colours[row % 3]},${row % 2 ? 'yes' : 'no'}`)].join('\n'),
    );
    const shopData = await prepareDataset({
      store: workspace.store,
      source: datasetSourceSchema.parse({ uri: csv, labelColumn: 'bought' }),
      dataRoot: '/',
    });
    shop = asTrained(await repository.load(modelVersion('shop', 4, await untrainedModel(workspace.store, shopData, 9), shopData)));
    repository.setAlias('shop', DEFAULT_SERVING_ALIAS, 4);

    // A regressor: a trip's minutes from its length and road, a numeric label with many values.
    const roads = ['city', 'highway'];
    const trips = Array.from({ length: 80 }, (_, row) => ({ km: 1 + (row % 20), road: roads[Math.floor(row / 20) % 2] as string }));
    const tripCsv = await workspace.writeCsv('trips.csv', ['km,road,minutes', ...trips.map(({ km, road }) => `${km},${road},${(km * (road === 'city' ? 3 : 1.2) + 2).toFixed(2)}`)].join('\n'));
    const tripData = await prepareDataset({ store: workspace.store, source: datasetSourceSchema.parse({ uri: tripCsv, labelColumn: 'minutes' }), dataRoot: '/' });
    const trained = await trainModel({
      store: workspace.store,
      dataset: tripData,
      modelSpec: modelSpecSchema.parse({ layers: [{ type: 'dense', units: 16 }], epochs: 150, learningRate: 0.03, batchSize: 8, seed: 3 }),
      backendPreference: 'cpu',
    });
    minutes = asTrained(await repository.load(modelVersion('minutes', 1, trained.model, tripData)));

    rows = await readIrisRows();
  });

  afterAll(async () => {
    await Promise.all(repository.list().map((info) => repository.unload(info.name, info.version)));
    await workspace.dispose();
  });

  describe('metadata', () => {
    it('lists one [-1] input per feature in transform order and the two classifier outputs', async () => {
      expect(buildV2ModelMetadata(iris)).toEqual({
        name: 'iris',
        versions: ['1'],
        platform: 'tensorflowjs',
        inputs: IRIS_FEATURES.map((name) => ({ name, datatype: 'FP32', shape: [-1] })),
        outputs: [
          { name: 'probabilities', datatype: 'FP32', shape: [-1, irisClasses.length] },
          { name: 'label', datatype: 'BYTES', shape: [-1] },
        ],
      });
    });

    it('gives categorical features the BYTES datatype', async () => {
      expect(buildV2ModelMetadata(shop).inputs).toEqual([
        { name: 'size', datatype: 'FP32', shape: [-1] },
        { name: 'colour', datatype: 'BYTES', shape: [-1] },
      ]);
    });
  });

  describe('a regressor', () => {
    const trip = (km: number[], road: (string | null)[]): V2InferRequest => ({
      inputs: [
        { name: 'km', datatype: 'FP32', shape: [km.length], data: km },
        { name: 'road', datatype: 'BYTES', shape: [road.length], data: road },
      ],
    });

    it('describes its one output, the prediction', () => {
      expect(buildV2ModelMetadata(minutes).outputs).toEqual([{ name: 'prediction', datatype: 'FP32', shape: [-1] }]);
    });

    it("answers a value per row in the label's units, not standardised ones", async () => {
      const response = await respond(minutes, trip([2, 10, 10], ['city', 'city', 'highway']));
      expect(response.outputs.map(({ name, datatype, shape }) => ({ name, datatype, shape }))).toEqual([{ name: 'prediction', datatype: 'FP32', shape: [3] }]);
      const [short, long, fast] = response.outputs[0]?.data as number[];
      expect(long).toBeGreaterThan(short ?? Infinity);
      expect(Math.abs((long ?? 0) - 32)).toBeLessThan(6);
      expect(fast).toBeLessThan(long ?? -Infinity);
    });

    it('counts a road it never saw and a missing one, and answers anyway', async () => {
      const run = await runV2Inference(minutes, trip([5, 5], ['gravel', null]));
      expect(run.quality).toEqual({ imputed: { road: 1 }, unseen: { road: 1 } });
      expect(run.response.parameters).toEqual({ slipway_imputed_values: 1, slipway_unseen_categories: 1 });
      expect(run.response.outputs[0]?.data).toHaveLength(2);
    });

    it('refuses the outputs of a classifier', async () => {
      await expectInputError({ ...trip([1], ['city']), outputs: [{ name: 'label' }] }, minutes, 'label');
    });
  });

  describe('infer', () => {
    it('answers with row-wise probabilities that sum to 1 and the most probable class as label', async () => {
      const sample = rows.filter((_, index) => index % 10 === 0);
      const response = await respond(iris, irisRequest(sample, { id: 'req-42' }));
      const classes = irisClasses;

      expect(response.model_name).toBe('iris');
      expect(response.model_version).toBe('1');
      expect(response.id).toBe('req-42');
      expect(response.outputs.map((output) => output.name)).toEqual(['probabilities', 'label']);
      const [probabilities, label] = response.outputs;
      expect(probabilities).toMatchObject({ datatype: 'FP32', shape: [sample.length, classes.length] });
      expect(label).toMatchObject({ datatype: 'BYTES', shape: [sample.length] });
      const values = probabilities.data as number[];
      expect(values).toHaveLength(sample.length * classes.length);

      sample.forEach((_, row) => {
        const rowValues = values.slice(row * classes.length, (row + 1) * classes.length);
        expect(rowValues.every((value) => value >= 0 && value <= 1)).toBe(true);
        expect(rowValues.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
        expect(label.data[row]).toBe(classes[rowValues.indexOf(Math.max(...rowValues))]);
      });
    });

    it('has learnt something: most training-set flowers get their own species', async () => {
      const response = await respond(iris, irisRequest(rows));
      const labels = response.outputs.find((output) => output.name === 'label')?.data as string[];
      const correct = labels.filter((label, row) => label === rows[row].species).length;
      expect(correct / rows.length).toBeGreaterThan(0.6);
    });

    it('leaves out the id when the request has none', async () => {
      expect(await respond(iris, irisRequest(rows.slice(0, 1)))).not.toHaveProperty('id');
    });

    it('gives identical results for flat [N] data and nested [N, 1] data', async () => {
      const sample = rows.slice(45, 55);
      const flat = await respond(iris, irisRequest(sample));
      const nestedRequest = irisRequest(sample);
      for (const input of nestedRequest.inputs) {
        input.shape = [sample.length, 1];
        input.data = input.data.map((value) => [value]);
      }
      expect(await respond(iris, nestedRequest)).toEqual(flat);

      const flatWithColumnShape = irisRequest(sample);
      for (const input of flatWithColumnShape.inputs) input.shape = [sample.length, 1];
      expect(await respond(iris, flatWithColumnShape)).toEqual(flat);
    });

    it('accepts any numeric datatype for numeric features', async () => {
      const sample = rows.slice(0, 3);
      const fp32 = await respond(iris, irisRequest(sample));
      const mixed = irisRequest(sample);
      mixed.inputs[0].datatype = 'FP64';
      mixed.inputs[1].datatype = 'FP16';
      // Integral datatypes take whole numbers only, so compare on rounded rows.
      const whole = irisRequest(sample.map((row) => ({ ...row, features: row.features.map(Math.round) })));
      const wholeTyped = irisRequest(sample.map((row) => ({ ...row, features: row.features.map(Math.round) })));
      wholeTyped.inputs[2].datatype = 'INT64';
      wholeTyped.inputs[3].datatype = 'UINT8';

      expect(await respond(iris, mixed)).toEqual(fp32);
      expect(await respond(iris, wholeTyped)).toEqual(await respond(iris, whole));
    });

    it('encodes categorical BYTES inputs, including a category never seen in training', async () => {
      const response = await respond(shop, {
        inputs: [
          { name: 'colour', datatype: 'BYTES', shape: [3], data: ['red', 'blue', 'purple'] },
          { name: 'size', datatype: 'INT32', shape: [3, 1], data: [[1], [4], [6]] },
        ],
      });
      expect(response.model_version).toBe('4');
      expect(response.outputs[0].shape).toEqual([3, 2]);
      expect((response.outputs[1].data as string[]).every((label) => ['no', 'yes'].includes(label))).toBe(true);
    });

    it('returns only the outputs the request lists, in its order', async () => {
      const sample = rows.slice(0, 2);
      const full = await respond(iris, irisRequest(sample));
      const onlyLabel = await respond(iris, irisRequest(sample, { outputs: [{ name: 'label' }] }));
      expect(onlyLabel.outputs).toEqual([full.outputs[1]]);
      const reversed = await respond(iris, irisRequest(sample, { outputs: [{ name: 'label' }, { name: 'probabilities' }] }));
      expect(reversed.outputs).toEqual([full.outputs[1], full.outputs[0]]);
    });
  });

  describe('input errors (400, naming the input)', () => {
    const sample = (): IrisRow[] => rows.slice(0, 3);

    it('rejects an input that is not a feature', async () => {
      const request = irisRequest(sample());
      request.inputs[2].name = 'petal_colour';
      const error = await expectInputError(request, iris, 'petal_colour');
      expect(error.message).toContain('"petal_length"');
    });

    it('imputes a feature the request leaves out, in every row, and says how many values it stood in for', async () => {
      const rows = sample();
      const request = irisRequest(rows);
      request.inputs.splice(3, 1);
      const run = await runV2Inference(iris, request);
      expect(run.quality.imputed).toEqual({ petal_width: rows.length });
      expect(run.response.parameters).toEqual({ slipway_imputed_values: rows.length });
      expect(run.request.columns['petal_width']).toEqual(rows.map(() => null));
      // Standing in for the training median, as data preparation would for a missing cell.
      const median = iris.transform.features.find((f) => f.name === 'petal_width');
      const withMedian = irisRequest(rows.map((row) => ({ ...row, features: [...row.features.slice(0, 3), median?.kind === 'numeric' ? (median.impute ?? median.mean) : Number.NaN] })));
      expect((await respond(iris, withMedian)).outputs).toEqual(run.response.outputs);
    });

    it('rejects a feature given twice', async () => {
      const request = irisRequest(sample());
      request.inputs.push({ ...request.inputs[1] });
      await expectInputError(request, iris, 'sepal_width');
    });

    it('rejects BYTES for a numeric feature and a numeric datatype for a categorical one', async () => {
      const request = irisRequest(sample());
      request.inputs[1] = { ...request.inputs[1], datatype: 'BYTES', data: ['3.5', '3', '3.2'] };
      await expectInputError(request, iris, 'sepal_width');

      await expectInputError(
        {
          inputs: [
            { name: 'size', datatype: 'FP32', shape: [1], data: [2] },
            { name: 'colour', datatype: 'FP32', shape: [1], data: [1] },
          ],
        },
        shop,
        'colour',
      );
    });

    it('rejects a shape that is not [N] or [N, 1]', async () => {
      const request = irisRequest(sample());
      request.inputs[0] = { ...request.inputs[0], shape: [1, 3] };
      await expectInputError(request, iris, 'sepal_length');
      request.inputs[0] = { ...request.inputs[0], shape: [3, 1, 1] };
      await expectInputError(request, iris, 'sepal_length');
    });

    it('rejects data whose element count differs from the shape', async () => {
      const request = irisRequest(sample());
      request.inputs[3] = { ...request.inputs[3], data: request.inputs[3].data.slice(0, 2) };
      const error = await expectInputError(request, iris, 'petal_width');
      expect(error.message).toContain('2 values');
    });

    it('rejects inputs with different row counts', async () => {
      const request = irisRequest(sample());
      request.inputs[2] = { ...request.inputs[2], shape: [2], data: request.inputs[2].data.slice(0, 2) };
      await expectInputError(request, iris, 'petal_length');
    });

    it('rejects an input with no rows', async () => {
      const request = irisRequest([]);
      await expectInputError(request, iris, 'sepal_length');
    });

    it('imputes a null in a numeric input, counting it, and answers no parameters when nothing was stood in for', async () => {
      const request = irisRequest(sample());
      request.inputs[1].data[2] = null;
      const run = await runV2Inference(iris, request);
      expect(run.quality.imputed).toEqual({ sepal_width: 1 });
      expect(run.response.parameters).toEqual({ slipway_imputed_values: 1 });
      expect((await respond(iris, irisRequest(sample()))).parameters).toBeUndefined();
    });

    it('imputes NaN in a float input (numpy\'s missing value, as tritonclient sends it) like null, and rejects infinity and NaN in an integer input', async () => {
      const withNaN = irisRequest(sample());
      withNaN.inputs[1].data[2] = Number.NaN;
      const run = await runV2Inference(iris, withNaN);
      expect(run.quality.imputed).toEqual({ sepal_width: 1 });
      const withNull = irisRequest(sample());
      withNull.inputs[1].data[2] = null;
      expect((await respond(iris, withNaN)).outputs).toEqual((await respond(iris, withNull)).outputs);
      const infinite = irisRequest(sample());
      infinite.inputs[1].data[2] = Number.POSITIVE_INFINITY;
      await expectInputError(infinite, iris, 'sepal_width');
      const integral = irisRequest(sample());
      integral.inputs[1] = { ...integral.inputs[1], datatype: 'INT32', data: integral.inputs[1].data.map((value) => Math.round(Number(value))) };
      integral.inputs[1].data[2] = Number.NaN;
      await expectInputError(integral, iris, 'sepal_width');
    });

    it.each([
      ['a string', 'abc'],
      ['a numeric string', '5.1'],
      ['a boolean', true],
      ['an object', { value: 1 }],
    ])('rejects %s in a numeric input', async (_, value) => {
      const request = irisRequest(sample());
      request.inputs[1].data[2] = value;
      const error = await expectInputError(request, iris, 'sepal_width');
      expect(error.message).toContain('value 2');
    });

    it('rejects fractions in integer datatypes and negatives in unsigned ones', async () => {
      const request = irisRequest(sample());
      request.inputs[0].datatype = 'INT32';
      await expectInputError(request, iris, 'sepal_length');

      const whole = irisRequest(sample().map((row) => ({ ...row, features: row.features.map(Math.round) })));
      whole.inputs[2] = { ...whole.inputs[2], datatype: 'UINT16', data: [1, -1, 2] };
      await expectInputError(whole, iris, 'petal_length');
    });

    it('rejects a non-string value in a BYTES input', async () => {
      await expectInputError(
        {
          inputs: [
            { name: 'size', datatype: 'FP32', shape: [2], data: [2, 3] },
            { name: 'colour', datatype: 'BYTES', shape: [2], data: ['red', 7] },
          ],
        },
        shop,
        'colour',
      );
    });

    it('names the field path and the input when the body does not fit the V2 schema', async () => {
      const request = irisRequest(sample()) as unknown as { inputs: Record<string, unknown>[] };
      request.inputs[1].datatype = 'FLOAT';
      const error = await expectInputError(request, iris, 'sepal_width');
      expect(error.message).toContain('inputs.1.datatype');
    });

    it('names the field path even when there is no input name to give', async () => {
      for (const body of [{}, { inputs: [] }, { inputs: [{ shape: [1], datatype: 'FP32', data: [1] }] }]) {
        await expect(respond(iris, body)).rejects.toThrow(InferenceInputError);
        await expect(respond(iris, body)).rejects.toThrow(/inputs/);
      }
      await expect(respond(iris, null)).rejects.toThrow(InferenceInputError);
    });

    it('rejects an unknown requested output, naming it', async () => {
      const error = await expectInputError(irisRequest(sample(), { outputs: [{ name: 'logits' }] }), iris, 'logits');
      expect(error.message).toContain('"probabilities"');
    });
  });
});
