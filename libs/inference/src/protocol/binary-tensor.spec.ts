import type { V2InferResponse } from '@slipway/contracts';
import { InferenceInputError } from '@slipway/model-runtimes';
import { decodeBinaryInferRequest, encodeBinaryInferResponse, requestedBinaryOutputs } from './binary-tensor';

function binaryRequest(inputs: { name: string; datatype: string; shape: number[]; bytes: Buffer }[]): { body: Buffer; headerLength: number } {
  const header = Buffer.from(JSON.stringify({ inputs: inputs.map(({ bytes, ...input }) => ({ ...input, parameters: { binary_data_size: bytes.length } })) }));
  return { body: Buffer.concat([header, ...inputs.map((input) => input.bytes)]), headerLength: header.length };
}

const le = (array: ArrayBufferView) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

describe('binary tensor extension', () => {
  it('decodes every fixed-size datatype little-endian into the JSON request form', () => {
    const { body, headerLength } = binaryRequest([
      { name: 'f32', datatype: 'FP32', shape: [2], bytes: le(Float32Array.of(1.5, -2.25)) },
      { name: 'f64', datatype: 'FP64', shape: [1], bytes: le(Float64Array.of(Math.PI)) },
      { name: 'i64', datatype: 'INT64', shape: [2], bytes: le(BigInt64Array.of(-7n, 9_007_199_254_740_991n)) },
      { name: 'u16', datatype: 'UINT16', shape: [1], bytes: le(Uint16Array.of(65_535)) },
      { name: 'i8', datatype: 'INT8', shape: [1], bytes: le(Int8Array.of(-128)) },
      { name: 'f16', datatype: 'FP16', shape: [2], bytes: le(Uint16Array.of(0x3c00, 0xc000)) },
      { name: 'flag', datatype: 'BOOL', shape: [2], bytes: Buffer.from([1, 0]) },
    ]);
    const decoded = decodeBinaryInferRequest(body, headerLength) as { inputs: { name: string; data: unknown[] }[] };
    const data = Object.fromEntries(decoded.inputs.map((input) => [input.name, input.data]));
    expect(data).toEqual({ f32: [1.5, -2.25], f64: [Math.PI], i64: [-7, 9_007_199_254_740_991], u16: [65_535], i8: [-128], f16: [1, -2], flag: [true, false] });
  });

  it('decodes length-prefixed BYTES elements', () => {
    const element = (text: string) => Buffer.concat([le(Uint32Array.of(Buffer.byteLength(text))), Buffer.from(text)]);
    const { body, headerLength } = binaryRequest([{ name: 'colour', datatype: 'BYTES', shape: [3], bytes: Buffer.concat([element('red'), element(''), element('grün')]) }]);
    expect((decodeBinaryInferRequest(body, headerLength) as { inputs: { data: unknown[] }[] }).inputs[0]?.data).toEqual(['red', '', 'grün']);
  });

  it.each([
    ['a size that is not a multiple of the element width', [{ name: 'x', datatype: 'FP32', shape: [1], bytes: Buffer.alloc(6) }]],
    ['an INT64 beyond exact JS integers', [{ name: 'x', datatype: 'INT64', shape: [1], bytes: le(BigInt64Array.of(2n ** 62n)) }]],
    ['a BYTES element running past the end', [{ name: 'x', datatype: 'BYTES', shape: [1], bytes: le(Uint32Array.of(99)) }]],
  ])('rejects %s, naming the input', (_case, inputs) => {
    const { body, headerLength } = binaryRequest(inputs);
    expect(() => decodeBinaryInferRequest(body, headerLength)).toThrow(InferenceInputError);
    expect(() => decodeBinaryInferRequest(body, headerLength)).toThrow(/"x"/);
  });

  it('rejects a header length beyond the body, bytes nobody claims, and a header that is not JSON', () => {
    const { body, headerLength } = binaryRequest([{ name: 'x', datatype: 'FP32', shape: [1], bytes: le(Float32Array.of(1)) }]);
    expect(() => decodeBinaryInferRequest(body, body.length + 1)).toThrow(/Inference-Header-Content-Length/);
    expect(() => decodeBinaryInferRequest(Buffer.concat([body, Buffer.alloc(4)]), headerLength)).toThrow(/not claimed/);
    expect(() => decodeBinaryInferRequest(body, headerLength - 1)).toThrow(/not JSON/);
  });

  it('moves requested outputs into raw bytes after the JSON header, and keeps the others as JSON', () => {
    const response: V2InferResponse = {
      model_name: 'iris',
      model_version: '1',
      outputs: [
        { name: 'probabilities', datatype: 'FP32', shape: [1, 2], data: [0.25, 0.75] },
        { name: 'label', datatype: 'BYTES', shape: [1], data: ['virginica'] },
      ],
    };
    const { body, headerLength } = encodeBinaryInferResponse(response, new Set(['probabilities']));
    const header = JSON.parse(body.subarray(0, headerLength).toString()) as V2InferResponse;
    expect(header.outputs[0]).toEqual({ name: 'probabilities', datatype: 'FP32', shape: [1, 2], parameters: { binary_data_size: 8 } });
    expect(header.outputs[1]).toEqual(response.outputs[1]);
    const raw = body.subarray(headerLength);
    expect([raw.readFloatLE(0), raw.readFloatLE(4)]).toEqual([0.25, 0.75]);
  });

  it('honours binary_data per output and binary_data_output for all', () => {
    const names = ['probabilities', 'label'];
    expect(requestedBinaryOutputs({ outputs: [{ name: 'label', parameters: { binary_data: true } }, { name: 'probabilities' }] }, names)).toEqual(new Set(['label']));
    expect(requestedBinaryOutputs({ parameters: { binary_data_output: true } }, names)).toEqual(new Set(names));
    expect(requestedBinaryOutputs({}, names)).toEqual(new Set());
  });
});
