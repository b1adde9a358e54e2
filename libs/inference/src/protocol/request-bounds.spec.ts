import { InferenceInputError } from '@slipway/model-runtimes';
import { RequestTooLargeError } from '../errors/request-too-large.error';
import { checkV1RequestBounds, checkV2RequestBounds, MAX_TENSOR_RANK } from './request-bounds';

const LIMITS = { maxRows: 100, maxElements: 1_000 };

const input = (datatype: string, data: unknown[], shape = [data.length], name = 'x') => ({ name, datatype, shape, data });
const request = (...inputs: object[]) => ({ inputs });

/** Data nested `depth` levels deep around one value, and the [1, 1, …] shape that matches it. */
function nested(depth: number): { data: unknown[]; shape: number[] } {
  let data: unknown = 1;
  for (let level = 0; level < depth; level += 1) data = [data];
  return { data: data as unknown[], shape: new Array<number>(depth).fill(1) };
}

function errorOf(check: () => void): Error {
  try {
    check();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the check to throw');
}

describe('checkV2RequestBounds', () => {
  it('passes a request within the limits', () => {
    expect(() => checkV2RequestBounds(request(input('FP32', [1, 2, 3]), input('INT8', [-128, 0, 127], [3], 'y')), LIMITS, true)).not.toThrow();
  });

  it('refuses more rows than the limit from the declared shape, naming the input, the limit and its variable', () => {
    const error = errorOf(() => checkV2RequestBounds(request({ name: 'x', datatype: 'FP32', shape: [101], data: [] }), LIMITS, true));
    expect(error).toBeInstanceOf(RequestTooLargeError);
    expect(error.message).toContain('input "x" has 101 rows');
    expect(error.message).toContain('at most 100');
    expect(error.message).toContain('SLIPWAY_SERVING_MAX_ROWS');
    // A model without a batch dimension takes its first dimension as a size, not rows.
    expect(() => checkV2RequestBounds(request({ name: 'x', datatype: 'FP32', shape: [101], data: new Array(101).fill(0) }), LIMITS, false)).not.toThrow();
  });

  it('refuses more values than the limit, across inputs, from the shapes and from the data itself', () => {
    const declared = errorOf(() => checkV2RequestBounds(request({ name: 'a', datatype: 'FP32', shape: [50, 12], data: [] }, { name: 'b', datatype: 'FP32', shape: [50, 10], data: [] }), LIMITS, true));
    expect(declared).toBeInstanceOf(RequestTooLargeError);
    expect(declared.message).toContain('1100 values');
    expect(declared.message).toContain('SLIPWAY_SERVING_MAX_ELEMENTS');
    // A shape that understates its data is caught by the walk.
    const understated = errorOf(() => checkV2RequestBounds(request(input('FP32', new Array(1_001).fill(0), [1])), LIMITS, true));
    expect(understated).toBeInstanceOf(RequestTooLargeError);
  });

  it('refuses data nested deeper than its shape, at any depth, with a 400 naming the input and the depth', () => {
    for (const depth of [3, 7_000, 200_000]) {
      const { data } = nested(depth);
      const error = errorOf(() => checkV2RequestBounds(request(input('FP32', data, [1, 1])), LIMITS, true));
      expect(error).toBeInstanceOf(InferenceInputError);
      expect(error.message).toContain('input "x" data is nested 3 levels deep');
    }
    expect(() => checkV2RequestBounds(request(input('FP32', [[1], [2]], [2, 1])), LIMITS, true)).not.toThrow();
  });

  it(`refuses more than ${MAX_TENSOR_RANK} dimensions`, () => {
    const { data, shape } = nested(MAX_TENSOR_RANK + 1);
    expect(errorOf(() => checkV2RequestBounds(request(input('FP32', data, shape)), LIMITS, true)).message).toContain(`${MAX_TENSOR_RANK + 1} dimensions`);
    const deepest = nested(MAX_TENSOR_RANK);
    expect(() => checkV2RequestBounds(request(input('FP32', deepest.data, deepest.shape)), LIMITS, true)).not.toThrow();
  });

  it.each([
    ['INT8', 1000, 'INT8 needs integers from -128 to 127'],
    ['INT8', -129, 'INT8 needs integers from -128 to 127'],
    ['INT16', 32_768, 'INT16 needs integers from -32768 to 32767'],
    ['INT32', 2 ** 31, 'INT32 needs integers from -2147483648 to 2147483647'],
    ['INT64', 2 ** 60, 'the integers this server represents exactly'],
    ['UINT8', 256, 'UINT8 needs integers from 0 to 255'],
    ['UINT8', -1, 'UINT8 needs integers from 0 to 255'],
    ['UINT16', 65_536, 'UINT16 needs integers from 0 to 65535'],
    ['UINT32', 2 ** 32, 'UINT32 needs integers from 0 to 4294967295'],
    ['UINT64', -1, 'UINT64 needs integers from 0'],
    ['INT32', 1.5, 'INT32 needs integers'],
    ['INT32', '7', 'INT32 needs integers'],
    ['FP32', 1e308, 'FP32 needs finite numbers within ±3.4028234663852886e38'],
    ['FP32', -1e39, 'FP32 needs finite numbers'],
    ['FP32', Infinity, 'FP32 needs finite numbers'],
    ['FP16', 70_000, 'FP16 needs finite numbers within ±65504'],
    ['FP64', -Infinity, 'FP64 needs finite numbers'],
    ['FP64', 'abc', 'FP64 needs finite numbers'],
    ['BOOL', 1, 'BOOL needs true or false'],
    ['BYTES', 3, 'BYTES needs strings'],
  ])('refuses %s %p, naming the input, the value and its index', (datatype, value, expected) => {
    // A valid value first, so the message's index is the offending value's.
    const valid = datatype === 'BOOL' ? true : datatype === 'BYTES' ? 'a' : 0;
    const error = errorOf(() => checkV2RequestBounds(request(input(datatype, [valid, value])), LIMITS, true));
    expect(error).toBeInstanceOf(InferenceInputError);
    expect((error as InferenceInputError).field).toBe('x');
    expect(error.message).toContain(`input "x" value 1 is `);
    expect(error.message).toContain(expected);
  });

  it('takes the edges of every range, null everywhere, and NaN in floats only', () => {
    const fits: [string, unknown[]][] = [
      ['INT8', [-128, 127, null]],
      ['UINT8', [0, 255]],
      ['INT64', [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]],
      // numpy prints float32's largest value as 3.4028235e+38, which a float32 store rounds to it.
      ['FP32', [3.4028235e38, -3.4028235e38, Number.NaN, null]],
      ['FP16', [65_504, -65_504, Number.NaN]],
      ['FP64', [1e308]],
      ['BOOL', [true, false, null]],
      ['BYTES', ['a', '', null]],
    ];
    for (const [datatype, data] of fits) expect(() => checkV2RequestBounds(request(input(datatype, data)), LIMITS, true)).not.toThrow();
    expect(() => checkV2RequestBounds(request(input('INT32', [Number.NaN])), LIMITS, true)).toThrow(InferenceInputError);
  });

  it('leaves a body the schema will refuse to the schema', () => {
    for (const body of [null, {}, { inputs: 'x' }, { inputs: [{ name: 'x', shape: 'wide', data: 3 }] }]) {
      expect(() => checkV2RequestBounds(body, LIMITS, true)).not.toThrow();
    }
  });
});

describe('checkV1RequestBounds', () => {
  it('refuses more instances than the row limit, and rows × features over the value limit', () => {
    const rows = errorOf(() => checkV1RequestBounds(new Array(101).fill([1, 2]), LIMITS, { batched: true, width: 2 }));
    expect(rows).toBeInstanceOf(RequestTooLargeError);
    expect(rows.message).toContain('instances has 101 rows');
    expect(rows.message).toContain('SLIPWAY_SERVING_MAX_ROWS');
    const values = errorOf(() => checkV1RequestBounds(new Array(100).fill([]), LIMITS, { batched: true, width: 11 }));
    expect(values.message).toContain('SLIPWAY_SERVING_MAX_ELEMENTS');
    expect(() => checkV1RequestBounds(new Array(100).fill([]), LIMITS, { batched: true, width: 10 })).not.toThrow();
  });

  it('counts the values of tensor instances, and refuses nesting deeper than any tensor with a 400', () => {
    expect(errorOf(() => checkV1RequestBounds(new Array(10).fill(new Array(101).fill(0)), LIMITS, { batched: true }))).toBeInstanceOf(RequestTooLargeError);
    const deep = errorOf(() => checkV1RequestBounds([nested(7_000).data], LIMITS, { batched: true }));
    expect(deep).toBeInstanceOf(InferenceInputError);
    expect(deep.message).toContain('instances are nested');
  });
});
