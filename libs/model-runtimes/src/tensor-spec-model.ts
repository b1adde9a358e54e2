import type { V2InferInput, V2InferOutput, V2TensorMetadata } from '@slipway/contracts';
import { flatData } from './tensor-data';
import { matchInputs, type TensorSpec } from './tensor-inputs';
import { inferV2, type HostTensor, type TensorModel } from './tensor-model';
import { onnxTypeOf, tensorData } from './tensor-values';

/**
 * What every runtime here shares: a signature read from the model as TensorSpecs, and V2 inputs checked against it and
 * converted to the typed data of the model's datatypes (ONNX's element types, which tfjs names the same for its own).
 */
export abstract class TensorSpecModel implements TensorModel {
  abstract readonly classLabels: TensorModel['classLabels'];

  protected constructor(
    protected readonly inputs: readonly TensorSpec[],
    protected readonly outputs: readonly TensorSpec[],
  ) {}

  get signature(): { inputs: V2TensorMetadata[]; outputs: V2TensorMetadata[] } {
    return { inputs: this.inputs.map(({ metadata }) => metadata), outputs: this.outputs.map(({ metadata }) => metadata) };
  }

  prepare(inputs: readonly V2InferInput[]): HostTensor[] {
    return matchInputs(this.inputs, inputs).map(({ spec: { metadata }, input }) => ({
      name: metadata.name,
      datatype: metadata.datatype,
      shape: input.shape,
      data: tensorData(onnxTypeOf(metadata.datatype), flatData(input), input.name),
    }));
  }

  abstract run(inputs: readonly HostTensor[]): Promise<HostTensor[]>;

  abstract dispose(): Promise<void> | void;

  /** Runs the model on V2 inputs, one for each of its inputs, and answers every output. */
  infer(inputs: readonly V2InferInput[]): Promise<V2InferOutput[]> {
    return inferV2(this, inputs);
  }
}
