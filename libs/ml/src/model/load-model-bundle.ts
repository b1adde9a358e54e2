import { transformSchema, type Transform, type V2Datatype } from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import type * as tf from '@tensorflow/tfjs';
import { transformWidth } from '../dataset/encode';
import { ModelBundleError } from '../errors/model-bundle.error';
import { loadModel } from './load-model';

/** One raw input feature as serving receives it: numbers as FP32, categories as BYTES (strings). */
export interface SignatureInput {
  name: string;
  datatype: Extract<V2Datatype, 'FP32' | 'BYTES'>;
}

export interface ModelSignature {
  inputs: SignatureInput[];
  /** Output classes, in the order of the probability columns. */
  classes: string[];
  /** Encoded width the model expects after the transform. */
  width: number;
}

/** A servable model: the network, the transform it was trained behind, and what it takes and gives. */
export interface ModelBundle {
  model: tf.LayersModel;
  transform: Transform;
  signature: ModelSignature;
}

/**
 * Loads a model and its transform and checks they belong together.
 * @throws ModelBundleError when the model's input width or class count differs from the transform's.
 */
export async function loadModelBundle(
  store: ArtifactStore,
  modelDigest: string,
  transformDigest: string,
): Promise<ModelBundle> {
  const transform = await store.getJson(transformDigest, transformSchema);
  const model = await loadModel(store, modelDigest);
  const width = transformWidth(transform);
  const classes = transform.label.classes;
  const inputWidth = model.inputs[0].shape[1];
  const outputWidth = model.outputs[0].shape[1];
  if (inputWidth !== width || outputWidth !== classes.length) {
    model.dispose();
    throw new ModelBundleError(
      `model ${modelDigest} takes ${inputWidth} inputs and gives ${outputWidth} classes, but transform ` +
        `${transformDigest} encodes ${width} inputs and ${classes.length} classes: they were not trained together`,
    );
  }
  const inputs = transform.features.map((feature): SignatureInput => ({
    name: feature.name,
    datatype: feature.kind === 'numeric' ? 'FP32' : 'BYTES',
  }));
  return { model, transform, signature: { inputs, classes, width } };
}
