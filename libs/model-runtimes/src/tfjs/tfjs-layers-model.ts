import type { V2Datatype, V2InferInput, V2InferOutput, V2TensorMetadata } from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';
import { ModelFormatError } from '../errors/model-format.error';
import { flatData } from '../tensor-data';
import { inferV2, type HostTensor, type ModelFiles, type TensorModel } from '../tensor-model';
import { onnxTypeOf, tensorData } from '../tensor-values';
import { matchInputs, tensorSpec, type TensorSpec } from '../tensor-inputs';
import { asKeras2 } from './keras3-topology';

const V2_OF_TFJS: Partial<Record<string, V2Datatype>> = { float32: 'FP32', int32: 'INT32', bool: 'BOOL' };

/**
 * A TensorFlow.js Layers model (what `tensorflowjs_converter` writes from Keras 2 or 3) answering Open Inference
 * Protocol tensors: inputs and outputs are the model's own layers, with their shapes (-1 for a dynamic dimension).
 */
export class TfjsLayersModel implements TensorModel {
  readonly classLabels = {};

  private constructor(
    private readonly model: tf.LayersModel,
    private readonly inputs: readonly TensorSpec[],
    private readonly outputs: readonly TensorSpec[],
  ) {}

  /**
   * @param description names the model in errors (a folder, say).
   * @throws ModelFormatError when `model.json` is missing, not a Layers model, names a shard that is not there, or
   *   does not load; or an input or output has a datatype the V2 protocol served here does not carry.
   */
  static async load(files: ModelFiles, description: string): Promise<TfjsLayersModel> {
    const artifacts = modelArtifacts(files, description);
    let model: tf.LayersModel;
    try {
      model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    } catch (error) {
      throw new ModelFormatError(`${description}: model.json does not load as a TensorFlow.js Layers model: ${(error as Error).message}`, { cause: error });
    }
    try {
      const spec = (role: 'input' | 'output', name: string, tensor: tf.SymbolicTensor) => {
        const datatype = V2_OF_TFJS[tensor.dtype];
        if (datatype === undefined) throw new ModelFormatError(`${description}: ${role} "${name}" is a ${tensor.dtype} tensor, which the V2 protocol served here does not carry`);
        return tensorSpec(name, datatype, tensor.shape.map((size) => size ?? null));
      };
      // Named by their layers: a tensor's own name adds the op (`probabilities/probabilities`), and a Sequential model
      // leaves inputLayers and outputLayers empty.
      const inputs = model.inputs.map((tensor) => spec('input', tensor.sourceLayer.name, tensor));
      const outputs = model.outputs.map((tensor) => spec('output', tensor.sourceLayer.name, tensor));
      return new TfjsLayersModel(model, inputs, outputs);
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  get signature(): { inputs: V2TensorMetadata[]; outputs: V2TensorMetadata[] } {
    return { inputs: this.inputs.map(({ metadata }) => metadata), outputs: this.outputs.map(({ metadata }) => metadata) };
  }

  prepare(inputs: readonly V2InferInput[]): HostTensor[] {
    // tfjs names the element types it takes (float32, int32, bool) as ONNX does.
    return matchInputs(this.inputs, inputs).map(({ spec: { metadata }, input }) => ({
      name: metadata.name,
      datatype: metadata.datatype,
      shape: input.shape,
      data: tensorData(onnxTypeOf(metadata.datatype), flatData(input), input.name),
    }));
  }

  async run(inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    const results = tf.tidy(() => {
      const tensors = inputs.map(({ datatype, shape, data }) => tf.tensor(data as Float32Array | Int32Array | Uint8Array, shape, onnxTypeOf(datatype) as 'float32' | 'int32' | 'bool'));
      const predicted = this.model.predict(tensors.length === 1 ? (tensors[0] as tf.Tensor) : tensors);
      return Array.isArray(predicted) ? predicted : [predicted];
    });
    try {
      return await Promise.all(
        this.outputs.map(async ({ metadata }, index) => {
          const tensor = results[index] as tf.Tensor;
          return { name: metadata.name, datatype: metadata.datatype, shape: tensor.shape, data: (await tensor.data()) as HostTensor['data'] };
        }),
      );
    } finally {
      tf.dispose(results);
    }
  }

  /** Runs the model on V2 inputs, one for each of its inputs, and answers every output. */
  infer(inputs: readonly V2InferInput[]): Promise<V2InferOutput[]> {
    return inferV2(this, inputs);
  }

  dispose(): void {
    this.model.dispose();
  }
}

function modelArtifacts(files: ModelFiles, description: string): tf.io.ModelArtifacts {
  const manifestBytes = files.get('model.json');
  if (manifestBytes === undefined) throw new ModelFormatError(`${description} has no model.json`);
  let manifest: { format?: unknown; modelTopology?: unknown; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as typeof manifest;
  } catch (error) {
    throw new ModelFormatError(`${description}: model.json is not JSON: ${(error as Error).message}`);
  }
  if (manifest.format !== 'layers-model' || manifest.modelTopology === undefined) {
    throw new ModelFormatError(`${description}: model.json is ${JSON.stringify(manifest.format ?? 'without a format')}, not a TensorFlow.js "layers-model"`);
  }
  const groups = manifest.weightsManifest ?? [];
  const shards = groups.flatMap((group) => group.paths).map((path) => {
    const bytes = files.get(path);
    if (bytes === undefined) throw new ModelFormatError(`${description}: model.json names weight shard "${path}", which is not there`);
    return bytes;
  });
  const weightData = new Uint8Array(shards.reduce((sum, shard) => sum + shard.byteLength, 0));
  shards.reduce((offset, shard) => (weightData.set(shard, offset), offset + shard.byteLength), 0);
  const { topology, weightSpecs } = asKeras2(manifest.modelTopology, groups.flatMap((group) => group.weights));
  return { modelTopology: topology as tf.io.ModelArtifacts['modelTopology'], weightSpecs, weightData: weightData.buffer };
}
