import { modelSpecSchema } from '@slipway/contracts';
import type * as tf from '@tensorflow/tfjs';
import { buildClassifier } from '../model/build-classifier';

export const FIXTURE_WIDTH = 4;
export const FIXTURE_CLASSES = 3;

/** A small untrained classifier (seeded, so its outputs are not trivial zeros) for model tests. */
export function fixtureModel(seed = 5): tf.Sequential {
  const spec = modelSpecSchema.parse({ layers: [{ type: 'dense', units: 6 }], seed });
  return buildClassifier(spec, FIXTURE_WIDTH, FIXTURE_CLASSES);
}

/** Deterministic pseudo-random features, rowCount × FIXTURE_WIDTH. */
export function fixtureFeatures(rowCount: number): Float32Array {
  return Float32Array.from({ length: rowCount * FIXTURE_WIDTH }, (_, index) => Math.sin(index * 1.7) * 2);
}
