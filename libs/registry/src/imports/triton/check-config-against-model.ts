import type { V2TensorMetadata } from '@slipway/contracts';
import { TritonRepositoryError } from '../../errors/triton-repository.error';
import { tritonDatatypeName } from './triton-datatypes';
import type { TritonModelConfig, TritonTensor } from './triton-model';

/** A model's inputs and outputs as its runtime reads them from the model file (-1 for a dynamic dimension). */
export interface ModelTensorSignature {
  inputs: V2TensorMetadata[];
  outputs: V2TensorMetadata[];
}

type Role = 'input' | 'output';

/**
 * Checks a model's config.pbtxt against the signature its runtime read from the model file, as Triton would before
 * serving it: every configured input and output exists in the model with the same datatype and a compatible shape
 * (the config's dims, behind a -1 batch dimension when `max_batch_size` > 0; equal sizes, or -1 on either side);
 * with batching, the model's first dimension of each of them must be dynamic; and every model input must be
 * configured, since Triton cannot feed one the config omits.
 * @param modelFile names the model file in messages (`iris/1/model.onnx`, say).
 * @returns the model's signature as Triton serves it: all of its inputs, and only the outputs the config names
 *   (Triton serves no others, so neither should the import).
 * @throws TritonRepositoryError listing every mismatch, each naming the config file and tensor.
 */
export function checkConfigAgainstModel(config: TritonModelConfig, signature: ModelTensorSignature, modelFile = 'the model'): ModelTensorSignature {
  const problems: string[] = [];
  const report = (problem: string) => problems.push(`${config.name}/config.pbtxt: ${problem}`);
  const compare = (role: Role, configured: readonly TritonTensor[], actual: readonly V2TensorMetadata[]) => {
    for (const tensor of configured) {
      const problem = tensorProblem(config.maxBatchSize, role, tensor, actual, modelFile);
      if (problem) report(problem);
    }
  };
  compare('input', config.inputs, signature.inputs);
  compare('output', config.outputs, signature.outputs);
  for (const input of signature.inputs) {
    if (!config.inputs.some((tensor) => tensor.name === input.name)) report(`${modelFile} takes input "${input.name}", which the config does not declare; Triton could not feed it`);
  }
  if (problems.length > 0) throw new TritonRepositoryError(problems);
  return { inputs: signature.inputs, outputs: signature.outputs.filter((output) => config.outputs.some((tensor) => tensor.name === output.name)) };
}

function tensorProblem(maxBatchSize: number, role: Role, tensor: TritonTensor, actual: readonly V2TensorMetadata[], modelFile: string): string | undefined {
  const subject = `${role} "${tensor.name}"`;
  const verb = role === 'input' ? 'takes' : 'gives';
  const model = actual.find((candidate) => candidate.name === tensor.name);
  if (!model) return `${subject} is not one of the ${role}s of ${modelFile} (${actual.map(({ name }) => `"${name}"`).join(', ')})`;
  if (model.datatype !== tensor.datatype) return `${subject} is ${tritonDatatypeName(tensor.datatype)} but ${modelFile} ${verb} ${model.datatype}`;
  const shape = maxBatchSize > 0 ? [-1, ...tensor.dims] : tensor.dims;
  const compatible = shape.length === model.shape.length && shape.every((size, index) => size === -1 || model.shape[index] === -1 || size === model.shape[index]);
  if (!compatible) return `${subject} has shape ${format(shape)} (dims ${format(tensor.dims)}${maxBatchSize > 0 ? ' behind the batch dimension' : ''}) but ${modelFile} ${verb} ${format(model.shape)}`;
  if (maxBatchSize > 0 && model.shape[0] !== -1) return `${subject}: max_batch_size ${maxBatchSize} needs a dynamic first dimension, but ${modelFile} ${verb} ${format(model.shape)}`;
  return undefined;
}

const format = (shape: readonly number[]) => `[${shape.join(', ')}]`;
