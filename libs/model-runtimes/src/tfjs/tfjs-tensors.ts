import type { V2Datatype } from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';
import { ModelFormatError } from '../errors/model-format.error';
import { tensorSpec, type TensorSpec } from '../tensor-inputs';
import type { HostTensor } from '../tensor-model';
import { onnxTypeOf } from '../tensor-values';

/**
 * The V2 datatypes of the tfjs dtypes served, by tfjs's own names (a Layers model's tensors) and by TensorFlow's
 * DataType names (a Graph model's signature). tfjs computes int64 as int32, so a DT_INT64 tensor is not among them.
 */
const V2_OF_TFJS: Partial<Record<string, V2Datatype>> = { float32: 'FP32', int32: 'INT32', bool: 'BOOL', DT_FLOAT: 'FP32', DT_INT32: 'INT32', DT_BOOL: 'BOOL' };

/**
 * @param description names the model in errors.
 * @param dims the tensor's declared dimensions (null: any size); undefined when its rank is not declared.
 * @throws ModelFormatError when the dtype is not one the V2 protocol served here carries.
 */
export function tfjsTensorSpec(description: string, role: 'input' | 'output', name: string, dtype: string, dims: readonly (number | null)[] | undefined): TensorSpec {
  const datatype = V2_OF_TFJS[dtype];
  if (datatype === undefined) throw new ModelFormatError(`${description}: ${role} "${name}" is a ${dtype} tensor, which the V2 protocol served here does not carry`);
  return tensorSpec(name, datatype, dims);
}

/** A prepared input as a tfjs tensor (tfjs names its element types as ONNX does); the caller disposes it. */
export function tfjsTensor({ datatype, shape, data }: HostTensor): tf.Tensor {
  return tf.tensor(data as Float32Array | Int32Array | Uint8Array, shape, onnxTypeOf(datatype) as 'float32' | 'int32' | 'bool');
}

/** The model's outputs, one tensor for each spec in its order, read into host memory; disposes every tensor. */
export async function readOutputs(specs: readonly TensorSpec[], tensors: readonly tf.Tensor[]): Promise<HostTensor[]> {
  try {
    return await Promise.all(
      specs.map(async ({ metadata }, index) => {
        const tensor = tensors[index] as tf.Tensor;
        return { name: metadata.name, datatype: metadata.datatype, shape: tensor.shape, data: (await tensor.data()) as HostTensor['data'] };
      }),
    );
  } finally {
    tf.dispose([...tensors]);
  }
}
