import type { ArtifactStore } from '@slipway/storage';
import * as tf from '@tensorflow/tfjs';
import { modelManifestSchema } from './model-manifest.schema';

/**
 * Loads a model saved by saveModel from its manifest digest.
 * @throws ArtifactNotFoundError / ArtifactCorruptError (from the store) for a missing or invalid manifest or weights.
 */
export async function loadModel(store: ArtifactStore, manifestDigest: string): Promise<tf.LayersModel> {
  const manifest = await store.getJson(manifestDigest, modelManifestSchema);
  const weights = await store.get(manifest.weights.digest);
  // A Buffer may be a view into a larger pool: hand tfjs exactly its bytes.
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: manifest.modelTopology, weightSpecs: manifest.weightSpecs, weightData }),
  );
}
