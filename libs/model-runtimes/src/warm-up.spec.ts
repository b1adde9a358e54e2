import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFormatError } from './errors/model-format.error';
import { OnnxModel } from './onnx/onnx-model';
import type { HostTensor, TensorModel } from './tensor-model';
import { warmUp } from './warm-up';

describe('warmUp', () => {
  it('runs one row of zeros through a real model, its dynamic batch dimension taken as 1', async () => {
    const model = await OnnxModel.load(await readFile(join(__dirname, 'onnx/fixtures/xgboost-iris.onnx')), 'xgboost-iris.onnx');
    const ran: HostTensor[][] = [];
    const run = model.run.bind(model);
    model.run = async (inputs) => (ran.push([...inputs]), run(inputs));
    await warmUp(model, 'xgboost-iris.onnx');
    expect(ran.map((inputs) => inputs.map(({ name, shape, data }) => ({ name, shape, data: Array.from(data as Float32Array) })))).toEqual([[{ name: 'features', shape: [1, 4], data: [0, 0, 0, 0] }]]);
    await model.dispose();
  });

  it('names the model and what the runtime said when a loaded model cannot predict', async () => {
    const broken: TensorModel = {
      signature: { inputs: [{ name: 'text', datatype: 'BYTES', shape: [-1] }], outputs: [] },
      classLabels: {},
      prepare: (inputs) => inputs.map(({ name, datatype, shape, data }) => ({ name, datatype, shape, data: data as string[] })),
      run: () => Promise.reject(new Error('kernel for op "StringSplit" is not registered')),
      dispose: () => undefined,
    };
    const failure = warmUp(broken, 'models/tok/1');
    await expect(failure).rejects.toThrow(ModelFormatError);
    await expect(failure).rejects.toThrow('models/tok/1 loads but cannot predict: kernel for op "StringSplit" is not registered');
  });
});
