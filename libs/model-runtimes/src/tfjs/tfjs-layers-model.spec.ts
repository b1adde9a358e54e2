import type { V2InferInput } from '@slipway/contracts';
import { InferenceInputError } from '../errors/inference-input.error';
import { ModelFormatError } from '../errors/model-format.error';
import { expectedOutput, largestDifference, tfjsFixtureFiles, tfjsFixtureRows, without, type TfjsFixtureRows } from '../testing/tfjs-fixtures';
import { TfjsLayersModel } from './tfjs-layers-model';

describe.each(['keras2-mlp', 'keras3-mlp'])('TfjsLayersModel, %s through tensorflowjs_converter 4.22', (name) => {
  let files: Map<string, Uint8Array>;
  let model: TfjsLayersModel;
  let expected: TfjsFixtureRows;
  beforeAll(async () => {
    files = await tfjsFixtureFiles(name);
    model = await TfjsLayersModel.load(files, name);
    expected = await tfjsFixtureRows(name);
  });
  afterAll(() => model.dispose());

  const features = (rows: number[][]): V2InferInput => ({ name: 'features', datatype: 'FP32', shape: [rows.length, 4], data: rows.flat() });

  it('reads its signature from the model: layer names, datatypes, the dynamic batch dimension', () => {
    expect(model.signature).toEqual({
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
    });
  });

  it("predicts its Keras's own probabilities for held-out rows, within 1e-5", async () => {
    const rows = expected.inputs.features;
    const [probabilities] = await model.infer([features(rows)]);
    expect(probabilities).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [rows.length, 3] });
    expect(largestDifference(probabilities, expectedOutput(expected, 'probabilities'))).toBeLessThan(1e-5);
  });

  it('names the input at fault', async () => {
    const rows = expected.inputs.features.slice(0, 2);
    await expect(model.infer([{ ...features(rows), shape: [2, 5] }])).rejects.toThrow(new InferenceInputError('input "features" has shape [2, 5]; the model takes [-1, 4] (-1: any size)'));
    await expect(model.infer([{ ...features(rows), shape: [3, 4] }])).rejects.toThrow('input "features" has 8 values but its shape [3, 4] needs 12');
    await expect(model.infer([{ ...features(rows), data: ['x', ...rows.flat().slice(1)] }])).rejects.toThrow('input "features" value 0 is "x"; FP32 needs numbers');
    await expect(model.infer([{ ...features(rows), datatype: 'INT32' }])).rejects.toThrow('input "features" is INT32; the model takes FP32');
    await expect(model.infer([])).rejects.toThrow('input "features" is missing');
  });

  it('refuses a folder without model.json, a missing shard and a graph model, naming the problem', async () => {
    await expect(TfjsLayersModel.load(without(files, 'model.json'), name)).rejects.toThrow(new ModelFormatError(`${name} has no model.json`));
    await expect(TfjsLayersModel.load(without(files, 'group1-shard1of1.bin'), name)).rejects.toThrow(`${name}: model.json names weight shard "group1-shard1of1.bin", which is not there`);
    const manifest = JSON.parse(Buffer.from(files.get('model.json') ?? []).toString()) as Record<string, unknown>;
    const graph = new Map(files).set('model.json', Buffer.from(JSON.stringify({ ...manifest, format: 'graph-model' })));
    await expect(TfjsLayersModel.load(graph, name)).rejects.toThrow(`${name}: model.json is "graph-model", not a TensorFlow.js "layers-model": import it as "tfjs-graph"`);
  });
});
