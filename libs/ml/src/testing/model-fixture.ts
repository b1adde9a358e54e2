import { networkSpecSchema } from '@slipway/contracts';
import type * as tf from '@tensorflow/tfjs';
import { buildModel, type ModelHead } from '../model/build-model';

export const FIXTURE_WIDTH = 4;
export const FIXTURE_CLASSES = 3;

/** A small untrained model (seeded, so its outputs are not trivial zeros) for model tests: a 3-class classifier unless told. */
export function fixtureModel(seed = 5, head: ModelHead = { task: 'classification', classCount: FIXTURE_CLASSES }): tf.Sequential {
  const spec = networkSpecSchema.parse({ layers: [{ type: 'dense', units: 6 }], seed });
  return buildModel(spec, FIXTURE_WIDTH, head);
}

/** Deterministic pseudo-random features, rowCount × FIXTURE_WIDTH. */
export function fixtureFeatures(rowCount: number): Float32Array {
  return Float32Array.from({ length: rowCount * FIXTURE_WIDTH }, (_, index) => Math.sin(index * 1.7) * 2);
}
