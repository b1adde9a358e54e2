/**
 * @jest-environment ../../tools/jest/host-typed-arrays-environment.cjs
 */
// onnxruntime-node returns typed arrays of the host realm (see the environment); the path is from libs/ml, jest's rootDir.
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import type { ForestTrainingSet, RandomForest } from './forest-model';
import { forestToOnnx } from './forest-onnx';
import { predictForest } from './predict-forest';
import { classificationSet, uniformFeatures } from './testing/forest-sets';
import { trainRandomForest } from './train-random-forest';

const WIDTH = 5;
const TEST_ROWS = 400;

async function runOnnx(forest: RandomForest, features: Float32Array, rows: number): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(forestToOnnx(forest));
  try {
    return await session.run({ features: new ort.Tensor('float32', features, [rows, forest.width]) });
  } finally {
    await session.release();
  }
}

const argmax = (values: Float32Array, from: number, count: number) => {
  let best = 0;
  for (let index = 1; index < count; index += 1) if (values[from + index] > values[from + best]) best = index;
  return best;
};

/** Rows of the training range, and some beyond it, which must follow the same branches. */
const testRows = (seed: string) => uniformFeatures(seed, TEST_ROWS, WIDTH).map((value) => value * 1.2);

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  let largest = 0;
  for (let index = 0; index < expected.length; index += 1) largest = Math.max(largest, Math.abs(actual[index] - expected[index]));
  expect(largest).toBeLessThanOrEqual(1e-6);
}

describe('forestToOnnx run by onnxruntime-node', () => {
  it.each<[string, ForestTrainingSet]>([
    ['2 classes', classificationSet('onnx-2', 500, WIDTH, 2, 0.3)],
    ['2 classes, rows no tree gives a vote for class 1', classificationSet('onnx-2-separable', 500, WIDTH, 2)],
    ['3 classes, one absent from the rows', { ...classificationSet('onnx-3', 500, WIDTH, 3, 0.3), classCount: 4 }],
    ['2 classes, one absent from the rows', { ...classificationSet('onnx-2-absent', 100, WIDTH, 2), labels: new Int32Array(100) }],
  ])('gives the probabilities of predictForest and their argmax as label: %s', async (_, set) => {
    const forest = trainRandomForest(set, { trees: 60, seed: 1 });
    const test = testRows(`${set.classCount}:${set.rows}:test`);
    const { probabilities, label } = await runOnnx(forest, test, TEST_ROWS);
    const expected = predictForest(forest, test, TEST_ROWS);
    expect(probabilities.dims).toEqual([TEST_ROWS, forest.outputs]);
    expectClose(probabilities.data as Float32Array, expected);
    expect(label.dims).toEqual([TEST_ROWS]);
    expect(Array.from(label.data as BigInt64Array, Number)).toEqual(Array.from({ length: TEST_ROWS }, (_, row) => argmax(expected, row * forest.outputs, forest.outputs)));
  });

  it('gives the values of predictForest for a regression forest', async () => {
    const features = uniformFeatures('onnx-regression', 500, WIDTH);
    const labels = Float32Array.from({ length: 500 }, (_, row) => 3 * Math.sin(features[row * WIDTH]) + features[row * WIDTH + 1] ** 2);
    const forest = trainRandomForest({ features, rows: 500, width: WIDTH, labels, task: 'regression' }, { trees: 60, seed: 2 });
    const test = testRows('regression-test');
    const { value } = await runOnnx(forest, test, TEST_ROWS);
    expect(value.dims).toEqual([TEST_ROWS, 1]);
    expectClose(value.data as Float32Array, predictForest(forest, test, TEST_ROWS));
  });

  it('declares features FP32 [N, width] in, label INT64 [N] and probabilities FP32 [N, classes] out, with its producer', async () => {
    const forest = trainRandomForest(classificationSet('signature', 100, WIDTH, 3), { trees: 3, seed: 3 });
    const model = onnx.ModelProto.decode(forestToOnnx(forest));
    const shapeOf = (value: onnx.IValueInfoProto) => [value.name, value.type?.tensorType?.elemType, value.type?.tensorType?.shape?.dim?.map((dim) => dim.dimParam || Number(dim.dimValue))];
    expect(model.graph?.input?.map(shapeOf)).toEqual([['features', onnx.TensorProto.DataType.FLOAT, ['N', WIDTH]]]);
    expect(model.graph?.output?.map(shapeOf)).toEqual([
      ['label', onnx.TensorProto.DataType.INT64, ['N']],
      ['probabilities', onnx.TensorProto.DataType.FLOAT, ['N', 3]],
    ]);
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map(({ domain, version }) => [domain, Number(version)])).toEqual([['', 17], ['ai.onnx.ml', 3]]);
    expect(model.producerName).toBe('slipway');
    expect(model.docString).toMatch(/Random forest of 3 trees/);
    const session = await ort.InferenceSession.create(forestToOnnx(forest));
    expect([session.inputNames, session.outputNames]).toEqual([['features'], ['label', 'probabilities']]);
    await session.release();
  });
});
