import type { V2InferInput, V2InferOutput, V2TensorMetadata } from '@slipway/contracts';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ModelFormatError } from '../errors/model-format.error';
import { flatData } from '../tensor-data';
import { matchInputs, tensorSpec, type TensorSpec } from '../tensor-inputs';
import { jsonValues, onnxTypeOf, tensorData, v2DatatypeOf } from '../tensor-values';
import { unzipMapOutputs, type UnzippedModel } from './unzip-map-outputs';

/**
 * An ONNX model on onnxruntime's CPU execution provider, answering Open Inference Protocol tensors: its inputs and
 * outputs are the model's own, with the datatypes and shapes it declares (-1 for a dynamic dimension, as Triton
 * reports it). A classifier's ZipMap probabilities (scikit-learn's exporters' default) are answered as an
 * `[N, classes]` FP32 tensor, with the class labels in `classLabels`. Sessions run on onnxruntime's own threads, so
 * the event loop stays free while a model computes.
 */
export class OnnxModel {
  private constructor(
    private readonly session: InferenceSession,
    private readonly inputs: readonly TensorSpec[],
    private readonly outputs: readonly TensorSpec[],
    /** The class labels of each probability output a ZipMap wrote, in the order of its columns. */
    readonly classLabels: UnzippedModel['classLabels'],
  ) {}

  /**
   * @param description names the model in errors (a file name, say).
   * @throws ModelFormatError when the bytes are not an ONNX model onnxruntime can run, or an input or output is not a
   *   tensor of a datatype the V2 protocol carries.
   */
  static async load(bytes: Uint8Array, description: string): Promise<OnnxModel> {
    const unzipped = unzipMapOutputs(bytes);
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(unzipped?.bytes ?? bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
    } catch (error) {
      throw new ModelFormatError(`${description} is not an ONNX model onnxruntime can run: ${(error as Error).message}`, { cause: error });
    }
    try {
      const inputs = session.inputMetadata.map((value) => onnxTensorSpec(value, 'input', description));
      const outputs = session.outputMetadata.map((value) => onnxTensorSpec(value, 'output', description));
      return new OnnxModel(session, inputs, outputs, unzipped?.classLabels ?? {});
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  get signature(): { inputs: V2TensorMetadata[]; outputs: V2TensorMetadata[] } {
    return { inputs: this.inputs.map(({ metadata }) => metadata), outputs: this.outputs.map(({ metadata }) => metadata) };
  }

  /**
   * Runs the model on V2 inputs, one for each of its inputs, and answers every output.
   * @throws InferenceInputError naming the input that is missing, unknown, repeated, of another datatype or shape, or
   *   holding a value its datatype cannot.
   */
  async infer(inputs: readonly V2InferInput[]): Promise<V2InferOutput[]> {
    const feeds = Object.fromEntries(matchInputs(this.inputs, inputs).map(({ spec, input }) => [spec.metadata.name, inputTensor(spec, input)]));
    const results = await this.session.run(feeds);
    return this.outputs.map(({ metadata }) => {
      const tensor = results[metadata.name];
      return { name: metadata.name, datatype: metadata.datatype, shape: [...tensor.dims], data: jsonValues(tensor) };
    });
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

function onnxTensorSpec(value: InferenceSession.ValueMetadata, role: 'input' | 'output', description: string): TensorSpec {
  if (!value.isTensor) {
    throw new ModelFormatError(
      `${description}: ${role} "${value.name}" is not a tensor but a sequence or a map, which onnxruntime-node cannot pass; ` +
        'export the model with tensor inputs and outputs only',
    );
  }
  const datatype = v2DatatypeOf(value.type);
  if (datatype === undefined) throw new ModelFormatError(`${description}: ${role} "${value.name}" is a ${value.type} tensor, which the V2 protocol served here does not carry`);
  // onnxruntime reports an undeclared shape as [], like a scalar's: a scalar model input is rare, an undeclared one is not.
  const dims = value.shape.length === 0 ? undefined : value.shape.map((size) => (typeof size === 'number' && size >= 0 ? size : null));
  return tensorSpec(value.name, datatype, dims);
}

function inputTensor({ metadata }: TensorSpec, input: V2InferInput): Tensor {
  const type = onnxTypeOf(metadata.datatype);
  return new Tensor(type, tensorData(type, flatData(input), input.name), input.shape);
}
