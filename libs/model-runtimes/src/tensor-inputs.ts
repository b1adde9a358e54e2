import type { V2InferInput, V2TensorMetadata } from '@slipway/contracts';
import { InferenceInputError } from './errors/inference-input.error';

/** One input or output of an imported model: its V2 metadata, and its dimensions as the model declares them (null: any size). */
export interface TensorSpec {
  metadata: V2TensorMetadata;
  /** Undefined when the model does not declare the rank. */
  dims: readonly (number | null)[] | undefined;
}

/** The V2 metadata of declared dimensions: -1 for a dynamic one, as Triton reports it; [-1] for an undeclared rank. */
export function tensorSpec(name: string, datatype: V2TensorMetadata['datatype'], dims: readonly (number | null)[] | undefined): TensorSpec {
  return { metadata: { name, datatype, shape: dims?.map((size) => size ?? -1) ?? [-1] }, dims };
}

/**
 * Pairs each of the model's inputs with the one V2 input of its name, of its datatype and a shape it takes.
 * @throws InferenceInputError naming the input that is unknown, repeated, missing, of another datatype or shape.
 */
export function matchInputs(specs: readonly TensorSpec[], inputs: readonly V2InferInput[]): { spec: TensorSpec; input: V2InferInput }[] {
  const byName = new Map<string, V2InferInput>();
  for (const input of inputs) {
    if (!specs.some(({ metadata }) => metadata.name === input.name)) {
      throw new InferenceInputError(`unknown input "${input.name}"; the model's inputs are ${specs.map(({ metadata }) => `"${metadata.name}"`).join(', ')}`, input.name);
    }
    if (byName.has(input.name)) throw new InferenceInputError(`input "${input.name}" is given more than once`, input.name);
    byName.set(input.name, input);
  }
  return specs.map((spec) => {
    const { metadata, dims } = spec;
    const input = byName.get(metadata.name);
    if (input === undefined) throw new InferenceInputError(`input "${metadata.name}" is missing`, metadata.name);
    if (input.datatype !== metadata.datatype) {
      throw new InferenceInputError(`input "${input.name}" is ${input.datatype}; the model takes ${metadata.datatype}`, input.name);
    }
    const fits = dims === undefined || (dims.length === input.shape.length && dims.every((size, axis) => size === null || size === input.shape[axis]));
    if (!fits) {
      throw new InferenceInputError(`input "${input.name}" has shape [${input.shape.join(', ')}]; the model takes [${metadata.shape.join(', ')}] (-1: any size)`, input.name);
    }
    return { spec, input };
  });
}
