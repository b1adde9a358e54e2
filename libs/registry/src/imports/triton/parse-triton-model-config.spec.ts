import type { V2Datatype } from '@slipway/contracts';
import { TritonRepositoryError } from '../../errors/triton-repository.error';
import { fixtureText } from './fixtures/fixture-files';
import { parseTritonModelConfig } from './parse-triton-model-config';
import { tritonDatatypeName } from './triton-datatypes';

const withInput = (input: string) => `name: "m"\nmax_batch_size: 4\ninput [ { ${input} } ]\noutput [ { name: "y" data_type: TYPE_FP32 dims: [ 1 ] } ]`;

describe('parseTritonModelConfig', () => {
  it('parses a config with comments, lists, enums and the fields Slipway does not use', () => {
    expect(parseTritonModelConfig(fixtureText('repository/diabetes_gbr/config.pbtxt'), 'diabetes_gbr')).toEqual({
      name: 'diabetes_gbr',
      maxBatchSize: 8,
      inputs: [{ name: 'X', datatype: 'FP32', dims: [10] }],
      outputs: [{ name: 'variable', datatype: 'FP32', dims: [1] }],
      dynamicBatching: {},
    });
  });

  it('reads single-block and scalar forms of repeated fields, and dynamic batching', () => {
    expect(parseTritonModelConfig(fixtureText('repository/iris_sklearn/config.pbtxt'), 'iris_sklearn')).toMatchObject({
      inputs: [{ name: 'X', datatype: 'FP32', dims: [4] }],
      dynamicBatching: { maxQueueDelayMicroseconds: 100, preferredBatchSizes: [4, 8] },
    });
  });

  it.each<[string, V2Datatype]>([
    ['TYPE_BOOL', 'BOOL'],
    ['TYPE_UINT8', 'UINT8'],
    ['TYPE_UINT16', 'UINT16'],
    ['TYPE_UINT32', 'UINT32'],
    ['TYPE_UINT64', 'UINT64'],
    ['TYPE_INT8', 'INT8'],
    ['TYPE_INT16', 'INT16'],
    ['TYPE_INT32', 'INT32'],
    ['TYPE_INT64', 'INT64'],
    ['TYPE_FP16', 'FP16'],
    ['TYPE_FP32', 'FP32'],
    ['TYPE_FP64', 'FP64'],
    ['TYPE_STRING', 'BYTES'],
  ])('maps %s to the V2 datatype %s, and back in messages', (tritonType, datatype) => {
    const config = parseTritonModelConfig(withInput(`name: "x" data_type: ${tritonType} dims: [ -1, 2 ]`), 'm');
    expect(config.inputs).toEqual([{ name: 'x', datatype, dims: [-1, 2] }]);
    expect(tritonDatatypeName(datatype)).toBe(tritonType);
  });

  it.each([
    ['a name other than the folder', 'name: "other"\ninput [ { name: "x" data_type: TYPE_FP32 dims: [ 1 ] } ]\noutput [ { name: "y" data_type: TYPE_FP32 dims: [ 1 ] } ]', 'm/config.pbtxt: name "other" must equal the folder name "m"'],
    ['TYPE_BF16, which has no V2 datatype', withInput('name: "x" data_type: TYPE_BF16 dims: [ 2 ]'), 'm/config.pbtxt: input "x" is TYPE_BF16, which the Open Inference Protocol served here does not carry'],
    ['an input without data_type', withInput('name: "x" dims: [ 2 ]'), 'm/config.pbtxt: input "x" has no data_type'],
    ['an input without dims', withInput('name: "x" data_type: TYPE_FP32'), 'm/config.pbtxt: input "x" has no dims'],
    ['a zero dimension', withInput('name: "x" data_type: TYPE_FP32 dims: [ 0, 2 ]'), 'm/config.pbtxt: input "x" has dimension 0; a dimension is a positive size or -1 for a variable one'],
    ['a dimension below -1', withInput('name: "x" data_type: TYPE_FP32 dims: [ -2 ]'), 'm/config.pbtxt: input "x" has dimension -2'],
    ['an input without a name', withInput('data_type: TYPE_FP32 dims: [ 2 ]'), 'm/config.pbtxt: an input has no name'],
    ['a misspelt field', 'name: "m"\nmax_bath_size: 8', 'm/config.pbtxt: unknown field "max_bath_size" for message inference.ModelConfig'],
    ['an unknown data_type', withInput('name: "x" data_type: TYPE_FLOAT dims: [ 2 ]'), 'm/config.pbtxt: unknown enum value "TYPE_FLOAT" for enum inference.DataType'],
    ['a value of the wrong type', 'name: "m"\nmax_batch_size: "eight"', 'm/config.pbtxt: '],
    ['a negative max_batch_size', withInput('name: "x" data_type: TYPE_FP32 dims: [ 2 ]').replace('max_batch_size: 4', 'max_batch_size: -1'), 'm/config.pbtxt: max_batch_size -1 must be 0 (no batching) or more'],
    [
      'a preferred batch size above max_batch_size',
      `${withInput('name: "x" data_type: TYPE_FP32 dims: [ 2 ]')}\ndynamic_batching { preferred_batch_size: [ 2, 8 ] }`,
      'm/config.pbtxt: dynamic_batching preferred_batch_size 8 is larger than max_batch_size 4',
    ],
    ['a config without inputs', 'name: "m"\noutput [ { name: "y" data_type: TYPE_FP32 dims: [ 1 ] } ]', 'm/config.pbtxt: declares no input'],
    ['an input declared twice', withInput('name: "x" data_type: TYPE_FP32 dims: [ 2 ] }, { name: "x" data_type: TYPE_FP32 dims: [ 2 ]'), 'm/config.pbtxt: input "x" is declared more than once'],
  ])('refuses %s', (_case, config, problem) => {
    const attempt = () => parseTritonModelConfig(config, 'm');
    expect(attempt).toThrow(TritonRepositoryError);
    expect(attempt).toThrow(problem);
  });

  it("refuses Triton's densenet example for its reshapes, naming each tensor in one error", () => {
    const attempt = () => parseTritonModelConfig(fixtureText('invalid/densenet_onnx/config.pbtxt'), 'densenet_onnx');
    expect(attempt).toThrow(
      new TritonRepositoryError([
        'densenet_onnx/config.pbtxt: input "data_0" has a reshape, which Slipway does not apply; declare the dims the model itself takes',
        'densenet_onnx/config.pbtxt: output "fc6_1" has a reshape, which Slipway does not apply; declare the dims the model itself takes',
      ]),
    );
  });
});
