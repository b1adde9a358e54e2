import { isLoadedTrained, type LoadedModel, type LoadedTrainedModel } from '../repository/loaded-model';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  datasetSourceSchema,
  networkSpecSchema,
  transformSchema,
  type ArtifactRef,
  type TrainedModelVersion,
  type PreparedDatasetRef,
} from '@slipway/contracts';
import { buildModel, modelHeadFor, initTensorflow, prepareDataset, saveModel, trainModel, transformWidth } from '@slipway/ml';
import { FileArtifactStore } from '@slipway/storage';

/** Test-only helpers: real models in a temporary artifact store. Not exported from the library. */

const REPO_ROOT = resolve(__dirname, '../../../..');

/** The backend every inference spec runs on. */
export const TEST_BACKEND = 'wasm' as const;

export interface ModelWorkspace {
  store: FileArtifactStore;
  /** Writes a CSV into the workspace and returns its absolute path. */
  writeCsv(name: string, contents: string): Promise<string>;
  dispose(): Promise<void>;
}

export async function createWorkspace(): Promise<ModelWorkspace> {
  await initTensorflow(TEST_BACKEND);
  const root = await mkdtemp(join(tmpdir(), 'slipway-inference-'));
  const store = new FileArtifactStore(join(root, 'artifacts'));
  return {
    store,
    async writeCsv(name, contents) {
      const path = join(root, name);
      await writeFile(path, contents);
      return path;
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

export function prepareIris(store: FileArtifactStore): Promise<PreparedDatasetRef> {
  return prepareDataset({
    store,
    source: datasetSourceSchema.parse({ uri: 'data/iris.csv', labelColumn: 'species' }),
    dataRoot: REPO_ROOT,
  });
}

/** Trains a small iris classifier for a few epochs; different seeds give different model artifacts. */
export async function trainIris(store: FileArtifactStore, dataset: PreparedDatasetRef, seed: number): Promise<ArtifactRef> {
  const trained = await trainModel({
    store,
    dataset,
    modelSpec: networkSpecSchema.parse({ layers: [{ type: 'dense', units: 8 }], epochs: 15, learningRate: 0.05, seed }),
    backendPreference: TEST_BACKEND,
  });
  return trained.model;
}

/** An untrained classifier fitted to a dataset's transform: enough where only shapes and wiring matter. */
export async function untrainedModel(store: FileArtifactStore, dataset: PreparedDatasetRef, seed: number): Promise<ArtifactRef> {
  const transform = await store.getJson(dataset.transform.digest, transformSchema);
  const spec = networkSpecSchema.parse({ layers: [{ type: 'dense', units: 4 }], seed });
  const model = buildModel(spec, transformWidth(transform), modelHeadFor(transform.label));
  try {
    return await saveModel(store, model);
  } finally {
    model.dispose();
  }
}

/** What the registry would hand serving for a version. */
export function modelVersion(
  model: string,
  version: number,
  modelArtifact: ArtifactRef,
  dataset: PreparedDatasetRef,
): TrainedModelVersion {
  return {
    format: 'slipway-tfjs',
    model,
    version,
    runId: `run-${model}-${version}`,
    datasetDigest: dataset.sourceDigest,
    backend: TEST_BACKEND,
    metrics: { validation: { task: 'classification', rows: 22, loss: 0.3, accuracy: 0.9 }, test: { task: 'classification', rows: 23, loss: 0.3, accuracy: 0.9 } },
    modelArtifact,
    transformArtifact: dataset.transform,
    aliases: [],
    createdAt: new Date().toISOString(),
  };
}

/** A digest no artifact has: loading a version that points at it fails. */
export const MISSING_DIGEST = `sha256:${'0'.repeat(64)}`;

/** A loaded version as the trained model the spec loaded. @throws Error when it is an imported one. */
export function asTrained(loaded: LoadedModel): LoadedTrainedModel {
  if (!isLoadedTrained(loaded)) throw new Error(`${loaded.name}@${loaded.version} is an imported ${loaded.format} model`);
  return loaded;
}
