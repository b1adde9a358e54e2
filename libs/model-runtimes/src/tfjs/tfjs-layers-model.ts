import * as tf from '@tensorflow/tfjs';
import { ModelFormatError } from '../errors/model-format.error';
import type { TensorSpec } from '../tensor-inputs';
import type { HostTensor, ModelFiles } from '../tensor-model';
import { TensorSpecModel } from '../tensor-spec-model';
import { asKeras2 } from './keras3-topology';
import { readTfjsModelJson } from './tfjs-model-json';
import { readOutputs, tfjsTensor, tfjsTensorSpec } from './tfjs-tensors';

/**
 * A TensorFlow.js Layers model (what `tensorflowjs_converter` writes from Keras 2 or 3) answering Open Inference
 * Protocol tensors: inputs and outputs are the model's own layers, with their shapes (-1 for a dynamic dimension).
 */
export class TfjsLayersModel extends TensorSpecModel {
  readonly classLabels = {};

  private constructor(
    private readonly model: tf.LayersModel,
    inputs: readonly TensorSpec[],
    outputs: readonly TensorSpec[],
  ) {
    super(inputs, outputs);
  }

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
      const spec = (role: 'input' | 'output', name: string, tensor: tf.SymbolicTensor) =>
        tfjsTensorSpec(description, role, name, tensor.dtype, tensor.shape.map((size) => size ?? null));
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

  run(inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    const results = tf.tidy(() => {
      const tensors = inputs.map(tfjsTensor);
      const predicted = this.model.predict(tensors.length === 1 ? (tensors[0] as tf.Tensor) : tensors);
      return Array.isArray(predicted) ? predicted : [predicted];
    });
    return readOutputs(this.outputs, results);
  }

  dispose(): void {
    this.model.dispose();
  }
}

function modelArtifacts(files: ModelFiles, description: string): tf.io.ModelArtifacts {
  const { manifest, weightSpecs, weightData } = readTfjsModelJson(files, description, 'layers-model');
  const keras2 = asKeras2(manifest.modelTopology, weightSpecs);
  return { modelTopology: keras2.topology as tf.io.ModelArtifacts['modelTopology'], weightSpecs: keras2.weightSpecs, weightData };
}
