import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { unzipMapOutputs } from './unzip-map-outputs';

const FIXTURES = join(__dirname, 'fixtures');

describe('unzipMapOutputs', () => {
  it("replaces skl2onnx's ZipMap with an Identity of the probability tensor, under the output's name", async () => {
    const unzipped = unzipMapOutputs(await readFile(join(FIXTURES, 'sklearn-iris-pipeline.onnx')));
    expect(unzipped?.classLabels).toEqual({ output_probability: ['setosa', 'versicolor', 'virginica'] });
    const graph = onnx.ModelProto.decode(unzipped?.bytes ?? new Uint8Array()).graph;
    expect(graph?.node?.map((node) => node.opType)).toEqual(['Scaler', 'LinearClassifier', 'Identity', 'Normalizer', 'Identity']);
    const probability = graph?.output?.find((output) => output.name === 'output_probability');
    expect(probability?.type?.tensorType?.elemType).toBe(onnx.TensorProto.DataType.FLOAT);
    expect(probability?.type?.tensorType?.shape?.dim?.map((dim) => dim.dimParam || Number(dim.dimValue))).toEqual(['N', 3]);
  });

  it('leaves a model without ZipMap, and bytes that are not a model, alone', async () => {
    expect(unzipMapOutputs(await readFile(join(FIXTURES, 'xgboost-iris.onnx')))).toBeUndefined();
    expect(unzipMapOutputs(Buffer.from('not a model'))).toBeUndefined();
  });
});
