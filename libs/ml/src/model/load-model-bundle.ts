import { transformSchema, type Transform, type V2Datatype } from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import type * as tf from '@tensorflow/tfjs';
import { transformWidth } from '../dataset/encode';
import { ModelBundleError } from '../errors/model-bundle.error';
import { modelHeadFor, outputUnits } from './build-model';
import { loadModel } from './load-model';
import type { RegressionLabel } from './predict';

/** One raw input feature as serving receives it: numbers as FP32, anything else (categories, dates) as BYTES (strings). */
export interface SignatureInput {
  name: string;
  datatype: Extract<V2Datatype, 'FP32' | 'BYTES'>;
}

/** What a classifier gives: probabilities over `classes`, in the order of the probability columns. */
export interface ClassifierOutput {
  task: 'classification';
  classes: string[];
}

/** What a regressor gives: one standardised value per row, turned into the label's units with predictValues(…, label). */
export interface RegressorOutput {
  task: 'regression';
  label: RegressionLabel;
}

export type ModelSignature = {
  inputs: SignatureInput[];
  /** Encoded width the model expects after the transform. */
  width: number;
} & (ClassifierOutput | RegressorOutput);

/** A servable network: the tfjs model, the transform it was trained behind, and what it takes and gives. */
export interface ModelBundle {
  model: tf.LayersModel;
  transform: Transform;
  signature: ModelSignature;
}

/**
 * Loads a network (a `slipway-tfjs` version's model) and its transform and checks they belong together.
 * @throws ModelBundleError when the model's input or output width differs from what the transform encodes.
 */
export async function loadModelBundle(store: ArtifactStore, modelDigest: string, transformDigest: string): Promise<ModelBundle> {
  const transform = await store.getJson(transformDigest, transformSchema);
  const model = await loadModel(store, modelDigest);
  const width = transformWidth(transform);
  const outputWidth = outputUnits(modelHeadFor(transform.label));
  const [modelInputs, modelOutputs] = [model.inputs[0].shape[1], model.outputs[0].shape[1]];
  if (modelInputs !== width || modelOutputs !== outputWidth) {
    model.dispose();
    const gives = transform.label.task === 'classification' ? `${transform.label.classes.length} classes` : 'one regression value';
    throw new ModelBundleError(
      `model ${modelDigest} takes ${modelInputs} inputs and gives ${modelOutputs} outputs, but transform ` +
        `${transformDigest} encodes ${width} inputs and ${gives}: they were not trained together`,
    );
  }
  return { model, transform, signature: modelSignatureOf(transform) };
}

/** What a model trained behind this transform takes (the raw feature columns) and gives (the label's classes or values). */
export function modelSignatureOf(transform: Transform): ModelSignature {
  const inputs = transform.features.map((feature): SignatureInput => ({
    name: feature.name,
    datatype: feature.kind === 'numeric' ? 'FP32' : 'BYTES',
  }));
  const output: ClassifierOutput | RegressorOutput =
    transform.label.task === 'classification' ? { task: 'classification', classes: transform.label.classes } : { task: 'regression', label: transform.label };
  return { inputs, width: transformWidth(transform), ...output };
}
