import type { V2Datatype, V2InferInput, V2InferOutput, V2TensorMetadata } from '@slipway/contracts';
import type { Tensor } from 'onnxruntime-node';

/** A tensor's values as the runtimes hold them: a typed array of its element type, or strings for BYTES. */
export type TensorData = Tensor['data'];

/** A checked tensor in this process's memory: row-major data of its datatype and shape. */
export interface HostTensor {
  name: string;
  datatype: V2Datatype;
  shape: number[];
  data: TensorData;
}

/** The files of a model by their path in its folder (`model.onnx`; `model.json` and its weight shards). */
export type ModelFiles = ReadonlyMap<string, Uint8Array>;

/**
 * An imported model behind one interface, whatever runs it. Requests are checked and converted first (`prepare`),
 * so a batch of several callers' tensors can only fail in the model itself, never on one caller's bad value.
 */
export interface TensorModel {
  readonly signature: { inputs: V2TensorMetadata[]; outputs: V2TensorMetadata[] };
  /** Class labels of probability outputs, by output name, in the order of the output's columns. */
  readonly classLabels: Readonly<Record<string, readonly (string | number)[]>>;
  /**
   * The model's inputs, in its order, from V2 inputs.
   * @throws InferenceInputError naming the input that is missing, unknown, repeated, of another datatype or shape, or
   *   holding a value its datatype cannot.
   */
  prepare(inputs: readonly V2InferInput[]): HostTensor[];
  /** Every output, in the model's order. */
  run(inputs: readonly HostTensor[]): Promise<HostTensor[]>;
  dispose(): Promise<void> | void;
}

/** A tensor's data as JSON values: 64-bit integers as numbers (exact up to 2^53), bool as true/false. */
export function jsonValues({ data, datatype }: Pick<HostTensor, 'data' | 'datatype'>): number[] | string[] | boolean[] {
  if (datatype === 'BYTES') return data as string[];
  if (datatype === 'BOOL') return Array.from(data as Uint8Array, (value) => value !== 0);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Array.from(data, Number);
  return Array.from(data as ArrayLike<number>);
}

export function v2Output(tensor: HostTensor): V2InferOutput {
  return { name: tensor.name, datatype: tensor.datatype, shape: tensor.shape, data: jsonValues(tensor) };
}

/** Runs V2 inputs through a model and answers every output as V2 JSON tensors. */
export async function inferV2(model: TensorModel, inputs: readonly V2InferInput[]): Promise<V2InferOutput[]> {
  return (await model.run(model.prepare(inputs))).map(v2Output);
}
