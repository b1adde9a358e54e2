import type { V2InferInput } from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';
import { InferenceInputError } from '../errors/inference-input.error';
import { ModelFormatError } from '../errors/model-format.error';
import { loadTensorModel } from '../load-tensor-model';
import { expectedOutput, largestDifference, tfjsFixtureFiles, tfjsFixtureRows, without, type TfjsFixtureRows } from '../testing/tfjs-fixtures';
import { TfjsGraphModel } from './tfjs-graph-model';

// A tf.Module's SavedModel (serving signature: features -> probabilities, label) through tensorflowjs_converter 4.22.
const NAME = 'graph-mlp';

describe('TfjsGraphModel, a TensorFlow SavedModel through tensorflowjs_converter 4.22', () => {
  let files: Map<string, Uint8Array>;
  let model: TfjsGraphModel;
  let expected: TfjsFixtureRows;
  beforeAll(async () => {
    files = await tfjsFixtureFiles(NAME);
    model = await TfjsGraphModel.load(files, NAME);
    expected = await tfjsFixtureRows(NAME);
  });
  afterAll(() => model.dispose());

  const features = (rows: number[][]): V2InferInput => ({ name: 'features', datatype: 'FP32', shape: [rows.length, 4], data: rows.flat() });
  const manifest = () => JSON.parse(Buffer.from(files.get('model.json') ?? []).toString()) as { signature: { outputs: Record<string, { dtype: string }> } };
  const withManifest = (json: unknown) => new Map(files).set('model.json', Buffer.from(JSON.stringify(json)));

  it("reads its signature from the model: the serving signature's names in name order, datatypes, dynamic dimensions", () => {
    expect(model.signature).toEqual({
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [
        { name: 'label', datatype: 'INT32', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
      ],
    });
  });

  it("predicts TensorFlow's own probabilities within 1e-5 and its labels exactly, for held-out rows", async () => {
    const rows = expected.inputs.features;
    const [label, probabilities] = await model.infer([features(rows)]);
    expect(label).toEqual({ name: 'label', datatype: 'INT32', shape: [rows.length], data: expectedOutput(expected, 'label') });
    expect(probabilities).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [rows.length, 3] });
    expect(largestDifference(probabilities, expectedOutput(expected, 'probabilities'))).toBeLessThan(1e-5);
  });

  it('takes nested rows as the flat data they stand for', async () => {
    const rows = expected.inputs.features.slice(0, 3);
    expect(await model.infer([{ ...features(rows), data: rows }])).toEqual(await model.infer([features(rows)]));
  });

  it('leaves no tensor behind and runs synchronously, a graph without control flow', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const before = tf.memory().numTensors;
      await model.infer([features(expected.inputs.features)]);
      expect(tf.memory().numTensors).toBe(before);
      // executeAsync warns on every call for a graph it could have run synchronously.
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('names the input at fault', async () => {
    const rows = expected.inputs.features.slice(0, 2);
    const fault = (inputs: V2InferInput[]) => model.infer(inputs).catch((error: unknown) => error);
    const shape = await fault([{ ...features(rows), shape: [2, 5] }]);
    expect(shape).toEqual(new InferenceInputError('input "features" has shape [2, 5]; the model takes [-1, 4] (-1: any size)'));
    expect(shape).toMatchObject({ field: 'features' });
    expect(await fault([{ ...features(rows), datatype: 'INT32' }])).toMatchObject({ message: 'input "features" is INT32; the model takes FP32', field: 'features' });
    expect(await fault([])).toMatchObject({ name: 'InferenceInputError', message: 'input "features" is missing', field: 'features' });
    expect(await fault([features(rows), { ...features(rows), name: 'features:0' }])).toMatchObject({
      message: 'unknown input "features:0"; the model\'s inputs are "features"',
      field: 'features:0',
    });
  });

  it('refuses a Layers model, naming the format to import it as', async () => {
    const layers = await tfjsFixtureFiles('keras2-mlp');
    await expect(TfjsGraphModel.load(layers, 'keras2-mlp')).rejects.toThrow(
      new ModelFormatError('keras2-mlp: model.json is "layers-model", not a TensorFlow.js "graph-model": import it as "tfjs-layers"'),
    );
  });

  it('refuses a folder without model.json or a shard, and a model.json that is not one', async () => {
    await expect(TfjsGraphModel.load(without(files, 'model.json'), NAME)).rejects.toThrow(new ModelFormatError(`${NAME} has no model.json`));
    await expect(TfjsGraphModel.load(without(files, 'group1-shard1of1.bin'), NAME)).rejects.toThrow(
      new ModelFormatError(`${NAME}: model.json names weight shard "group1-shard1of1.bin", which is not there`),
    );
    const garbage = new Map(files).set('model.json', Buffer.from('\u0089PNG not json'));
    await expect(TfjsGraphModel.load(garbage, NAME)).rejects.toThrow(`${NAME}: model.json is not JSON: `);
    await expect(TfjsGraphModel.load(withManifest(['graph-model']), NAME)).rejects.toThrow(`${NAME}: model.json is not a TensorFlow.js model.json: `);
    await expect(TfjsGraphModel.load(withManifest({ ...manifest(), format: undefined }), NAME)).rejects.toThrow(
      `${NAME}: model.json has no "format"; a TensorFlow.js tfjs-graph model's is "graph-model"`,
    );
  });

  it('refuses a model without a signature, or with an output tfjs does not compute as declared', async () => {
    await expect(TfjsGraphModel.load(withManifest({ ...manifest(), signature: undefined }), NAME)).rejects.toThrow(
      `${NAME}: model.json has no signature naming the model's inputs and outputs (convert a SavedModel with --signature_name): `,
    );
    const int64 = manifest();
    int64.signature.outputs['label'] = { ...int64.signature.outputs['label'], dtype: 'DT_INT64' };
    await expect(TfjsGraphModel.load(withManifest(int64), NAME)).rejects.toThrow(
      new ModelFormatError(`${NAME}: output "label" is a DT_INT64 tensor, which the V2 protocol served here does not carry`),
    );
  });

  it("is what loadTensorModel loads for the 'tfjs-graph' format", async () => {
    const loaded = await loadTensorModel('tfjs-graph', files, NAME);
    try {
      expect(loaded).toBeInstanceOf(TfjsGraphModel);
      expect(loaded.signature).toEqual(model.signature);
    } finally {
      await loaded.dispose();
    }
  });
});

describe('TfjsGraphModel, a SavedModel with a while loop, which tfjs runs only asynchronously', () => {
  it("answers TensorFlow's own values, without executeAsync's warning that execute would have done", async () => {
    const model = await TfjsGraphModel.load(await tfjsFixtureFiles('graph-loop'), 'graph-loop');
    const expected = await tfjsFixtureRows('graph-loop');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(model.signature).toEqual({ inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }], outputs: [{ name: 'scaled', datatype: 'FP32', shape: [-1, 4] }] });
      const rows = expected.inputs.features;
      const before = tf.memory().numTensors;
      const [scaled] = await model.infer([{ name: 'features', datatype: 'FP32', shape: [rows.length, 4], data: rows.flat() }]);
      expect(tf.memory().numTensors).toBe(before);
      expect(scaled).toMatchObject({ name: 'scaled', datatype: 'FP32', shape: [rows.length, 4] });
      expect(largestDifference(scaled, expectedOutput(expected, 'scaled'))).toBe(0);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      model.dispose();
    }
  });
});
