import type { V2InferInput, V2TensorMetadata } from '@slipway/contracts';
import { ModelFormatError } from './errors/model-format.error';
import type { TensorModel } from './tensor-model';

/**
 * Runs one row of zeros (empty strings, false; a dynamic dimension taken as 1) through the model, so a model that
 * loads but cannot compute (a TensorFlow.js graph op tfjs lacks, a kernel onnxruntime fails) is found before it
 * takes traffic, and the first request does not pay for kernel setup.
 * @throws ModelFormatError naming the model and what the runtime said.
 */
export async function warmUp(model: TensorModel, description: string): Promise<void> {
  try {
    await model.run(model.prepare(zeroInputs(model.signature.inputs)));
  } catch (error) {
    throw new ModelFormatError(`${description} loads but cannot predict: ${(error as Error).message}`, { cause: error });
  }
}

function zeroInputs(inputs: readonly V2TensorMetadata[]): V2InferInput[] {
  return inputs.map(({ name, datatype, shape }) => {
    const dims = shape.map((size) => (size === -1 ? 1 : size));
    const count = dims.reduce((product, size) => product * size, 1);
    const zero = datatype === 'BYTES' ? '' : datatype === 'BOOL' ? false : 0;
    return { name, datatype, shape: dims, data: new Array(count).fill(zero) };
  });
}
