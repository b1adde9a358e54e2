import { datasetSourceSchema, type NetworkSpecInput, type PreparedDatasetRef } from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import { prepareDataset } from '../dataset/prepare-dataset';
import { DATA_ROOT } from './temp-artifact-store';

/** The spec the training tests share: one hidden layer that learns iris in a second or two. */
export const IRIS_TRAINING_SPEC: NetworkSpecInput = {
  layers: [{ type: 'dense', units: 16, activation: 'relu' }],
  optimizer: 'adam',
  learningRate: 0.05,
  epochs: 60,
  batchSize: 16,
};

/** data/iris.csv prepared into the store with the default split, as data-prep would. */
export function prepareIris(store: ArtifactStore): Promise<PreparedDatasetRef> {
  return prepareDataset({ store, source: datasetSourceSchema.parse({ uri: 'iris.csv', labelColumn: 'species' }), dataRoot: DATA_ROOT });
}
