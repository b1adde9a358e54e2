import { MEDIA_TYPES, type ArtifactRef } from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import * as tf from '@tensorflow/tfjs';
import type { ModelManifest } from './model-manifest.schema';

/**
 * Stores a model as two artifacts: the raw weights blob and a JSON manifest (topology, weight specs, weights ref).
 * Returns the manifest's ref: its digest is the model's identity.
 */
export async function saveModel(store: ArtifactStore, model: tf.LayersModel): Promise<ArtifactRef> {
  let manifestRef: ArtifactRef | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { modelTopology, weightSpecs, weightData } = artifacts;
      if (!modelTopology || modelTopology instanceof ArrayBuffer || !weightSpecs || !weightData) {
        throw new Error(`model "${model.name}" produced no JSON topology or no weights to save`);
      }
      const weights = await store.put(new Uint8Array(tf.io.CompositeArrayBuffer.join(weightData)), MEDIA_TYPES.modelWeights);
      const manifest: ModelManifest = {
        version: 1,
        format: artifacts.format ?? 'layers-model',
        modelTopology: modelTopology as Record<string, unknown>,
        weightSpecs,
        weights,
      };
      manifestRef = await store.putJson(manifest, MEDIA_TYPES.modelManifest);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!manifestRef) throw new Error(`saving model "${model.name}" finished without writing its manifest`);
  return manifestRef;
}
