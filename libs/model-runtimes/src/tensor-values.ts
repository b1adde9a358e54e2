import type { V2Datatype } from '@slipway/contracts';
import type { Tensor } from 'onnxruntime-node';
import type { TensorData } from './tensor-model';
import { InferenceInputError } from './errors/inference-input.error';

type OnnxElementType = Tensor.Type;

/**
 * ONNX element types (which tfjs names the same, for the ones it has) as Open Inference Protocol datatypes, Triton's
 * own mapping. float16 is left out: onnxruntime-node takes it only as raw 16-bit patterns, which JSON cannot carry.
 */
const V2_OF_ONNX: Partial<Record<OnnxElementType, V2Datatype>> = {
  float32: 'FP32',
  float64: 'FP64',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  bool: 'BOOL',
  string: 'BYTES',
};

const ONNX_OF_V2 = new Map(Object.entries(V2_OF_ONNX).map(([onnx, v2]) => [v2, onnx as OnnxElementType]));

export function v2DatatypeOf(type: string): V2Datatype | undefined {
  return V2_OF_ONNX[type as OnnxElementType];
}

export function onnxTypeOf(datatype: V2Datatype): OnnxElementType {
  const type = ONNX_OF_V2.get(datatype);
  if (type === undefined) throw new Error(`no ONNX element type for ${datatype}`);
  return type;
}

/** The integer types up to 32 bits: their range, and the typed array onnxruntime takes them in. */
const SMALL_INTEGERS = {
  int8: { min: -128, max: 127, array: Int8Array },
  int16: { min: -32_768, max: 32_767, array: Int16Array },
  int32: { min: -2_147_483_648, max: 2_147_483_647, array: Int32Array },
  uint8: { min: 0, max: 255, array: Uint8Array },
  uint16: { min: 0, max: 65_535, array: Uint16Array },
  uint32: { min: 0, max: 4_294_967_295, array: Uint32Array },
} as const;

const FLOAT32_MAX = 3.4028234663852886e38;


/**
 * A request's flat values as the typed data onnxruntime takes for `type`.
 * @throws InferenceInputError naming the input and the first value the type cannot hold.
 */
export function tensorData(type: OnnxElementType, values: readonly unknown[], input: string): TensorData {
  const reject = (index: number, expected: string): never => {
    throw new InferenceInputError(`input "${input}" value ${index} is ${JSON.stringify(values[index])}; ${v2DatatypeOf(type)} needs ${expected}`, input);
  };
  switch (type) {
    case 'string':
      return values.map((value, index) => (typeof value === 'string' ? value : reject(index, 'strings')));
    case 'bool':
      return Uint8Array.from(values, (value, index) => (typeof value === 'boolean' ? Number(value) : reject(index, 'true or false')));
    case 'float32':
    case 'float64': {
      const data = type === 'float32' ? new Float32Array(values.length) : new Float64Array(values.length);
      values.forEach((value, index) => {
        // JSON has no NaN, and NaN is how a float model (XGBoost's, say) is told a value is missing: null stands for it.
        if (value === null) data[index] = Number.NaN;
        // A finite number beyond float32's range would silently become Infinity.
        else if (typeof value === 'number' && (type === 'float64' || !(Math.abs(value) > FLOAT32_MAX) || !Number.isFinite(value))) data[index] = value;
        else reject(index, type === 'float32' ? `numbers within ±${FLOAT32_MAX.toExponential(4)} (or null for a missing value)` : 'numbers (or null for a missing value)');
      });
      return data;
    }
    case 'int64':
    case 'uint64': {
      const data = type === 'int64' ? new BigInt64Array(values.length) : new BigUint64Array(values.length);
      const [min, max] = type === 'int64' ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
      values.forEach((value, index) => {
        const integer = typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : undefined;
        data[index] = integer !== undefined && integer >= min && integer <= max ? integer : reject(index, type === 'int64' ? 'integers' : 'non-negative integers');
      });
      return data;
    }
    default: {
      if (!Object.hasOwn(SMALL_INTEGERS, type)) throw new Error(`onnxruntime element type ${type} has no conversion`);
      const { min, max, array } = SMALL_INTEGERS[type as keyof typeof SMALL_INTEGERS];
      const inRange = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
      return new array(values.map((value, index) => (inRange(value) ? value : reject(index, `integers from ${min} to ${max}`))));
    }
  }
}
