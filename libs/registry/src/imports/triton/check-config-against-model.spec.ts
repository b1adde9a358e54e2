import { TritonRepositoryError } from '../../errors/triton-repository.error';
import { checkConfigAgainstModel, type ModelTensorSignature } from './check-config-against-model';
import { fixtureText } from './fixtures/fixture-files';
import signatures from './fixtures/onnx-signatures.json';
import { parseTritonModelConfig } from './parse-triton-model-config';
import type { TritonModelConfig } from './triton-model';

const signature = (file: keyof typeof signatures) => signatures[file] as ModelTensorSignature;
const config = (model: string) => parseTritonModelConfig(fixtureText(`repository/${model}/config.pbtxt`), model);
const xgboost = config('iris_xgboost');
const sklearn = config('iris_sklearn');

function problemsOf(modelConfig: TritonModelConfig, modelSignature: ModelTensorSignature): readonly string[] {
  try {
    checkConfigAgainstModel(modelConfig, modelSignature, 'm/1/model.onnx');
  } catch (error) {
    if (error instanceof TritonRepositoryError) return error.problems;
    throw error;
  }
  throw new Error('checkConfigAgainstModel accepted the model');
}

describe('checkConfigAgainstModel', () => {
  it('accepts a config without batching that declares the whole model', () => {
    expect(checkConfigAgainstModel(xgboost, signature('xgboost-iris.onnx'))).toEqual(signature('xgboost-iris.onnx'));
  });

  it("accepts a batched config against the model's dynamic first dimension", () => {
    expect(() => checkConfigAgainstModel(config('diabetes_gbr'), signature('sklearn-diabetes-gbr.onnx'))).not.toThrow();
  });

  it('answers only the outputs the config names, since Triton serves no others', () => {
    expect(checkConfigAgainstModel(sklearn, signature('sklearn-iris-pipeline-tensors.onnx'))).toEqual({
      inputs: [{ name: 'X', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
    });
  });

  it('takes -1 on either side as compatible', () => {
    const fixedRows = { ...signature('xgboost-iris.onnx'), inputs: [{ name: 'features', datatype: 'FP32' as const, shape: [-1, -1] }] };
    expect(() => checkConfigAgainstModel(xgboost, fixedRows)).not.toThrow();
  });

  it.each<[string, TritonModelConfig, ModelTensorSignature, string]>([
    [
      'an input of another datatype',
      { ...xgboost, inputs: [{ name: 'features', datatype: 'FP64', dims: [-1, 4] }] },
      signature('xgboost-iris.onnx'),
      'iris_xgboost/config.pbtxt: input "features" is TYPE_FP64 but m/1/model.onnx takes FP32',
    ],
    [
      'a string output declared as another type',
      { ...sklearn, outputs: [{ name: 'label', datatype: 'INT64', dims: [1] }] },
      signature('sklearn-iris-pipeline-tensors.onnx'),
      'iris_sklearn/config.pbtxt: output "label" is TYPE_INT64 but m/1/model.onnx gives BYTES',
    ],
    [
      'an input the model does not have',
      { ...sklearn, inputs: [...sklearn.inputs, { name: 'extra', datatype: 'FP32', dims: [1] }] },
      signature('sklearn-iris-pipeline-tensors.onnx'),
      'iris_sklearn/config.pbtxt: input "extra" is not one of the inputs of m/1/model.onnx ("X")',
    ],
    [
      'an output the model does not have',
      { ...xgboost, outputs: [{ name: 'probability', datatype: 'FP32', dims: [-1, 3] }] },
      signature('xgboost-iris.onnx'),
      'iris_xgboost/config.pbtxt: output "probability" is not one of the outputs of m/1/model.onnx ("label", "probabilities")',
    ],
    [
      'dims of another size',
      { ...sklearn, inputs: [{ name: 'X', datatype: 'FP32', dims: [5] }] },
      signature('sklearn-iris-pipeline-tensors.onnx'),
      'iris_sklearn/config.pbtxt: input "X" has shape [-1, 5] (dims [5] behind the batch dimension) but m/1/model.onnx takes [-1, 4]',
    ],
    [
      'dims of another rank (the batch dimension counted twice)',
      { ...sklearn, inputs: [{ name: 'X', datatype: 'FP32', dims: [-1, 4] }] },
      signature('sklearn-iris-pipeline-tensors.onnx'),
      'iris_sklearn/config.pbtxt: input "X" has shape [-1, -1, 4] (dims [-1, 4] behind the batch dimension) but m/1/model.onnx takes [-1, 4]',
    ],
    [
      'dims that forget the batch dimension without batching',
      { ...xgboost, maxBatchSize: 0, inputs: [{ name: 'features', datatype: 'FP32', dims: [4] }] },
      signature('xgboost-iris.onnx'),
      'iris_xgboost/config.pbtxt: input "features" has shape [4] (dims [4]) but m/1/model.onnx takes [-1, 4]',
    ],
    [
      'batching over a fixed first dimension',
      sklearn,
      { ...signature('sklearn-iris-pipeline-tensors.onnx'), inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 4] }] },
      'iris_sklearn/config.pbtxt: input "X": max_batch_size 16 needs a dynamic first dimension, but m/1/model.onnx takes [1, 4]',
    ],
    [
      'a model input the config omits',
      { ...sklearn, inputs: [] },
      signature('sklearn-iris-pipeline-tensors.onnx'),
      'iris_sklearn/config.pbtxt: m/1/model.onnx takes input "X", which the config does not declare; Triton could not feed it',
    ],
  ])('refuses %s', (_case, modelConfig, modelSignature, problem) => {
    expect(problemsOf(modelConfig, modelSignature)).toEqual([problem]);
  });

  it('reports every mismatch in one error', () => {
    const problems = problemsOf({ ...xgboost, inputs: [{ name: 'features', datatype: 'INT64', dims: [-1, 4] }], outputs: [{ name: 'label', datatype: 'BYTES', dims: [-1] }] }, signature('xgboost-iris.onnx'));
    expect(problems).toEqual([
      'iris_xgboost/config.pbtxt: input "features" is TYPE_INT64 but m/1/model.onnx takes FP32',
      'iris_xgboost/config.pbtxt: output "label" is TYPE_STRING but m/1/model.onnx gives INT64',
    ]);
  });
});
