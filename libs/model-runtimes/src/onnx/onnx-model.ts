import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ModelFormatError } from '../errors/model-format.error';
import { tensorSpec, type TensorSpec } from '../tensor-inputs';
import type { HostTensor, ModelFiles } from '../tensor-model';
import { TensorSpecModel } from '../tensor-spec-model';
import { onnxTypeOf, v2DatatypeOf } from '../tensor-values';
import { unzipMapOutputs, type UnzippedModel } from './unzip-map-outputs';

/**
 * An ONNX model on onnxruntime's CPU execution provider, answering Open Inference Protocol tensors: its inputs and
 * outputs are the model's own, with the datatypes and shapes it declares (-1 for a dynamic dimension, as Triton
 * reports it). A classifier's ZipMap probabilities (scikit-learn's exporters' default) are answered as an
 * `[N, classes]` FP32 tensor, with the class labels in `classLabels`. Sessions run on onnxruntime's own threads, so
 * the event loop stays free while a model computes.
 */
export class OnnxModel extends TensorSpecModel {
  private constructor(
    private readonly session: InferenceSession,
    inputs: readonly TensorSpec[],
    outputs: readonly TensorSpec[],
    /** The class labels of each probability output a ZipMap wrote, in the order of its columns. */
    readonly classLabels: UnzippedModel['classLabels'],
  ) {
    super(inputs, outputs);
  }

  /** The file an ONNX model folder holds the graph in; any other file is external data the graph names. */
  static readonly FILE = 'model.onnx';

  /**
   * @param description names the model in errors (a file name, say).
   * @throws ModelFormatError when the bytes are not an ONNX model onnxruntime can run, or an input or output is not a
   *   tensor of a datatype the V2 protocol carries.
   */
  static async load(files: ModelFiles | Uint8Array, description: string): Promise<OnnxModel> {
    const folder = files instanceof Uint8Array ? new Map([[OnnxModel.FILE, files]]) : files;
    const bytes = folder.get(OnnxModel.FILE);
    if (bytes === undefined) throw new ModelFormatError(`${description} has no ${OnnxModel.FILE}`);
    // Large models keep their weights beside the graph (torch.onnx's external data): onnxruntime reads them by path.
    const externalData = [...folder].filter(([path]) => path !== OnnxModel.FILE).map(([path, data]) => ({ path, data }));
    const unzipped = unzipMapOutputs(bytes);
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(unzipped?.bytes ?? bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', externalData });
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

  async run(inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    const feeds = Object.fromEntries(inputs.map(({ name, datatype, shape, data }) => [name, new Tensor(onnxTypeOf(datatype), data, shape)]));
    const results = await this.session.run(feeds);
    return this.outputs.map(({ metadata }) => {
      const tensor = results[metadata.name];
      return { name: metadata.name, datatype: metadata.datatype, shape: [...tensor.dims], data: tensor.data };
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
