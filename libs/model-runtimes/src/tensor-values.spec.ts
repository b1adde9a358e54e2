import { InferenceInputError } from './errors/inference-input.error';
import { jsonValues } from './tensor-model';
import { tensorData } from './tensor-values';

describe('tensorData', () => {
  it('converts JSON values into the typed data of each element type', () => {
    expect(tensorData('int8', [-128, 127], 'x')).toEqual(Int8Array.from([-128, 127]));
    expect(tensorData('uint32', [0, 4_294_967_295], 'x')).toEqual(Uint32Array.from([0, 4_294_967_295]));
    expect(tensorData('int64', [-3, 2 ** 53], 'x')).toEqual(BigInt64Array.from([-3n, 2n ** 53n]));
    expect(tensorData('bool', [true, false], 'x')).toEqual(Uint8Array.from([1, 0]));
    expect(tensorData('string', ['a', ''], 'x')).toEqual(['a', '']);
    expect(Array.from(tensorData('float32', [1.5, null], 'x') as Float32Array)).toEqual([1.5, Number.NaN]);
    expect(tensorData('float64', [1e308], 'x')).toEqual(Float64Array.from([1e308]));
  });

  it.each([
    ['int8', 1000, 'INT8 needs integers from -128 to 127'],
    ['uint8', -1, 'UINT8 needs integers from 0 to 255'],
    ['int32', 1.5, 'INT32 needs integers from'],
    ['int64', '7', 'INT64 needs integers'],
    ['uint64', -1, 'UINT64 needs non-negative integers'],
    ['bool', 1, 'BOOL needs true or false'],
    ['string', 3, 'BYTES needs strings'],
    ['float32', 1e308, 'FP32 needs numbers within ±3.4028e+38'],
    ['float64', 'NaN', 'FP64 needs numbers'],
  ] as const)('refuses a %s value it cannot hold (%p), naming the input and the value', (type, value, message) => {
    const valid = { bool: true, string: 'ok' }[type as string] ?? 0;
    const attempt = () => tensorData(type, [valid, value], 'pixels');
    expect(attempt).toThrow(InferenceInputError);
    expect(attempt).toThrow(`input "pixels" value 1 is ${JSON.stringify(value)}; ${message}`);
  });
});

describe('jsonValues', () => {
  it('answers 64-bit integers as numbers and bool as true/false', () => {
    expect(jsonValues({ datatype: 'INT64', data: BigInt64Array.from([5n, -2n]) })).toEqual([5, -2]);
    expect(jsonValues({ datatype: 'BOOL', data: Uint8Array.from([1, 0]) })).toEqual([true, false]);
  });
});
