import type { HostTensor } from '@slipway/model-runtimes';
import { tensorBatchCodec } from './tensor-batch-codec';

const request = (rows: number, offset: number): HostTensor[] => [
  { name: 'x', datatype: 'FP32', shape: [rows, 2], data: Float32Array.from({ length: rows * 2 }, (_, index) => offset + index) },
  { name: 'ids', datatype: 'INT64', shape: [rows], data: BigInt64Array.from({ length: rows }, (_, index) => BigInt(offset + index)) },
  { name: 'text', datatype: 'BYTES', shape: [rows], data: Array.from({ length: rows }, (_, index) => `t${offset + index}`) },
];

describe('tensorBatchCodec', () => {
  it('joins requests input by input along the first dimension, keeping each element type', () => {
    const joined = tensorBatchCodec.concat([request(1, 0), request(2, 10)], 3);
    expect(joined.map(({ shape }) => shape)).toEqual([[3, 2], [3], [3]]);
    expect(joined[0]?.data).toEqual(Float32Array.of(0, 1, 10, 11, 12, 13));
    expect(joined[1]?.data).toEqual(BigInt64Array.of(0n, 10n, 11n));
    expect(joined[2]?.data).toEqual(['t0', 't10', 't11']);
  });

  it('cuts a batch back into each request’s rows', () => {
    const [x, ids] = tensorBatchCodec.slice(tensorBatchCodec.concat([request(1, 0), request(2, 10)], 3), 1, 3);
    expect(x).toMatchObject({ name: 'x', shape: [2, 2], data: Float32Array.of(10, 11, 12, 13) });
    expect(ids).toMatchObject({ shape: [2], data: BigInt64Array.of(10n, 11n) });
  });
});
