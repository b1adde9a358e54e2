import type { V2Datatype, V2InferResponse } from '@slipway/contracts';
import { InferenceInputError } from '@slipway/model-runtimes';
import { RequestTooLargeError } from '../errors/request-too-large.error';
import { DEFAULT_REQUEST_LIMITS, LIMIT_VARIABLES, type RequestLimits } from './request-limits';

/** Header naming the length of the JSON part of a binary (Triton binary tensor extension) request or response. */
export const INFERENCE_HEADER_CONTENT_LENGTH = 'inference-header-content-length';

const BYTES_PER_ELEMENT: Partial<Record<V2Datatype, number>> = {
  BOOL: 1, UINT8: 1, INT8: 1, UINT16: 2, INT16: 2, FP16: 2, UINT32: 4, INT32: 4, FP32: 4, UINT64: 8, INT64: 8, FP64: 8,
};

interface BinaryInput {
  name?: unknown;
  datatype?: unknown;
  parameters?: { binary_data_size?: unknown };
  data?: unknown;
}

/**
 * Turns a binary request (JSON header of `headerLength` bytes, then the raw little-endian tensors of every input
 * that declares `parameters.binary_data_size`, in input order) into the equivalent JSON request. The values are
 * counted from their byte sizes before any is decoded, against the element limit.
 * @throws RequestTooLargeError when the tensors hold more values than `limits.maxElements`.
 * @throws InferenceInputError naming the input whose bytes do not fit.
 */
export function decodeBinaryInferRequest(body: Buffer, headerLength: number, limits: Pick<RequestLimits, 'maxElements'> = DEFAULT_REQUEST_LIMITS): unknown {
  if (!Number.isInteger(headerLength) || headerLength < 0 || headerLength > body.length) {
    throw new InferenceInputError(`Inference-Header-Content-Length is ${headerLength} but the body has ${body.length} bytes`);
  }
  let header: { inputs?: unknown };
  try {
    header = JSON.parse(body.subarray(0, headerLength).toString('utf8')) as { inputs?: unknown };
  } catch (error) {
    throw new InferenceInputError(`the first ${headerLength} bytes (Inference-Header-Content-Length) are not JSON: ${(error as Error).message}`);
  }
  let offset = headerLength;
  const budget = { left: limits.maxElements, limit: limits.maxElements };
  for (const input of Array.isArray(header?.inputs) ? (header.inputs as BinaryInput[]) : []) {
    const size = input?.parameters?.binary_data_size;
    if (size === undefined) continue;
    const name = String(input.name);
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
      throw new InferenceInputError(`input "${name}" has binary_data_size ${JSON.stringify(size)}; expected a byte count`, name);
    }
    if (offset + size > body.length) {
      throw new InferenceInputError(`input "${name}" declares ${size} bytes of binary data but only ${body.length - offset} remain`, name);
    }
    input.data = decodeTensor(input.datatype as V2Datatype, body.subarray(offset, offset + size), name, budget);
    offset += size;
  }
  if (offset !== body.length) {
    throw new InferenceInputError(`${body.length - offset} bytes after the last binary input are not claimed by any binary_data_size`);
  }
  return header;
}

/** Which outputs the request wants as binary: all with `parameters.binary_data_output`, else those marked `binary_data`. */
export function requestedBinaryOutputs(body: unknown, outputNames: readonly string[]): Set<string> {
  const request = body as { parameters?: { binary_data_output?: unknown }; outputs?: { name?: unknown; parameters?: { binary_data?: unknown } }[] };
  if (request?.parameters?.binary_data_output === true) return new Set(outputNames);
  return new Set((request?.outputs ?? []).filter((output) => output?.parameters?.binary_data === true).map((output) => String(output.name)));
}

/** Moves the named outputs' data out of the JSON into raw little-endian bytes after it. */
export function encodeBinaryInferResponse(response: V2InferResponse, binaryOutputs: ReadonlySet<string>): { body: Buffer; headerLength: number } {
  const chunks: Buffer[] = [];
  const outputs = response.outputs.map((output) => {
    if (!binaryOutputs.has(output.name)) return output;
    const bytes = encodeTensor(output.datatype, output.data);
    chunks.push(bytes);
    const { data, ...rest } = output;
    return { ...rest, parameters: { ...output.parameters, binary_data_size: bytes.length } };
  });
  const header = Buffer.from(JSON.stringify({ ...response, outputs }));
  return { body: Buffer.concat([header, ...chunks]), headerLength: header.length };
}

/** Values still allowed in the request, spent input by input. */
interface ElementBudget {
  left: number;
  limit: number;
}

function spend(budget: ElementBudget, count: number, name: string): void {
  budget.left -= count;
  if (budget.left < 0) {
    throw new RequestTooLargeError(`input "${name}" takes the request past ${budget.limit} values; serving takes at most that many per request (${LIMIT_VARIABLES.elements}): split it into smaller requests`, name);
  }
}

function decodeTensor(datatype: V2Datatype, bytes: Buffer, name: string, budget: ElementBudget): unknown[] {
  if (datatype === 'BYTES') return decodeBytesTensor(bytes, name, budget);
  const width = BYTES_PER_ELEMENT[datatype];
  if (width === undefined) throw new InferenceInputError(`input "${name}" has datatype ${JSON.stringify(datatype)}, which has no binary form`, name);
  if (bytes.length % width !== 0) {
    throw new InferenceInputError(`input "${name}" has ${bytes.length} bytes of binary data, not a multiple of ${width} (${datatype})`, name);
  }
  spend(budget, bytes.length / width, name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: unknown[] = [];
  for (let at = 0; at < bytes.length; at += width) values.push(readElement(view, at, datatype, name));
  return values;
}

function readElement(view: DataView, at: number, datatype: V2Datatype, name: string): unknown {
  switch (datatype) {
    case 'BOOL': return view.getUint8(at) !== 0;
    case 'UINT8': return view.getUint8(at);
    case 'INT8': return view.getInt8(at);
    case 'UINT16': return view.getUint16(at, true);
    case 'INT16': return view.getInt16(at, true);
    case 'FP16': return halfToFloat(view.getUint16(at, true));
    case 'UINT32': return view.getUint32(at, true);
    case 'INT32': return view.getInt32(at, true);
    case 'FP32': return view.getFloat32(at, true);
    case 'FP64': return view.getFloat64(at, true);
    case 'UINT64':
    case 'INT64': {
      const value = datatype === 'INT64' ? view.getBigInt64(at, true) : view.getBigUint64(at, true);
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new InferenceInputError(`input "${name}" holds ${value}, beyond the integers this server represents exactly`, name);
      }
      return Number(value);
    }
    default: throw new InferenceInputError(`input "${name}" has datatype ${datatype}, which has no binary form`, name);
  }
}

function decodeBytesTensor(bytes: Buffer, name: string, budget: ElementBudget): string[] {
  const values: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    spend(budget, 1, name);
    if (at + 4 > bytes.length) throw new InferenceInputError(`input "${name}" BYTES data ends inside an element's 4-byte length`, name);
    const length = bytes.readUInt32LE(at);
    if (at + 4 + length > bytes.length) throw new InferenceInputError(`input "${name}" BYTES element at byte ${at} claims ${length} bytes past the end`, name);
    values.push(bytes.subarray(at + 4, at + 4 + length).toString('utf8'));
    at += 4 + length;
  }
  return values;
}

function encodeTensor(datatype: V2Datatype, data: readonly unknown[]): Buffer {
  if (datatype === 'BYTES') {
    return Buffer.concat(
      data.flatMap((value) => {
        const text = Buffer.from(String(value), 'utf8');
        const length = Buffer.alloc(4);
        length.writeUInt32LE(text.length);
        return [length, text];
      }),
    );
  }
  if (datatype === 'FP32') {
    const bytes = Buffer.alloc(data.length * 4);
    data.forEach((value, index) => bytes.writeFloatLE(value as number, index * 4));
    return bytes;
  }
  // Outputs are FP32 (probabilities, a regressor's predictions) or BYTES (labels); anything else is a programming error here.
  throw new Error(`no binary encoding for ${datatype} outputs`);
}

/** IEEE 754 half precision (as its 16 bits) to a JS number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
