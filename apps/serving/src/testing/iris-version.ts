import { datasetSourceSchema, networkSpecSchema, transformSchema, type TrainedModelVersion } from '@slipway/contracts';
import { buildModel, modelHeadFor, initTensorflow, prepareDataset, saveModel, transformWidth } from '@slipway/ml';
import type { FileArtifactStore } from '@slipway/storage';
import { resolve } from 'node:path';

/** Test-only (left out of the build): real model artifacts for serving's integration specs. */

const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/** An untrained iris classifier in a real artifact store, described as the registry would hand it to serving. */
export async function irisVersion(store: FileArtifactStore, version: number): Promise<TrainedModelVersion> {
  await initTensorflow('wasm');
  const dataset = await prepareDataset({ store, source: datasetSourceSchema.parse({ uri: 'data/iris.csv', labelColumn: 'species' }), dataRoot: WORKSPACE_ROOT });
  const transform = await store.getJson(dataset.transform.digest, transformSchema);
  const model = buildModel(networkSpecSchema.parse({ layers: [{ type: 'dense', units: 4 }], seed: version }), transformWidth(transform), modelHeadFor(transform.label));
  try {
    return {
      format: 'slipway-tfjs',
      model: 'iris',
      version,
      runId: `run-iris-${version}`,
      datasetDigest: dataset.sourceDigest,
      backend: 'wasm',
      metrics: { validation: { task: 'classification', rows: 22, loss: 0.3, accuracy: 0.9 }, test: { task: 'classification', rows: 23, loss: 0.3, accuracy: 0.9 } },
      modelArtifact: await saveModel(store, model),
      transformArtifact: dataset.transform,
      aliases: [],
      createdAt: new Date().toISOString(),
    };
  } finally {
    model.dispose();
  }
}
