import { basename, dirname } from 'node:path';
import { datasetSourceSchema, forestSpecSchema, type PreparedDatasetRef } from '@slipway/contracts';
import { classificationMetrics, getPreparedDataset, prepareDataset, trainModel } from '@slipway/ml';
import { createWorkspace, modelVersion, prepareIris, TEST_BACKEND, untrainedModel, type ModelWorkspace } from '../testing/model-fixtures';
import { loadTrainedBundle } from './trained-model';

jest.setTimeout(60_000);

describe('loadTrainedBundle', () => {
  let workspace: ModelWorkspace;
  let dataset: PreparedDatasetRef;

  beforeAll(async () => {
    workspace = await createWorkspace();
    dataset = await prepareIris(workspace.store);
  });
  afterAll(() => workspace.dispose());

  it("runs a trained forest's ONNX model in onnxruntime, answering what the trainer measured in JavaScript", async () => {
    const trained = await trainModel({ store: workspace.store, dataset, modelSpec: forestSpecSchema.parse({ kind: 'randomForest', trees: 40 }), backendPreference: TEST_BACKEND });
    const version = { ...modelVersion('iris', 1, trained.model, dataset), format: trained.format, backend: trained.backend, metrics: trained.metrics };
    const bundle = await loadTrainedBundle(workspace.store, version);
    try {
      const { test } = await getPreparedDataset(workspace.store, dataset.dataset.digest);
      if (bundle.signature.task !== 'classification' || trained.metrics.test.task !== 'classification') throw new Error('iris is a classification');
      const probabilities = await bundle.model.predict(test.features, test.rows);
      const served = classificationMetrics(Int32Array.from(test.labels), probabilities, bundle.signature.classes);

      expect(served.accuracy).toBe(trained.metrics.test.accuracy);
      expect(served.loss).toBeCloseTo(trained.metrics.test.loss, 6);
      expect(served.confusionMatrix).toEqual(trained.metrics.test.confusionMatrix);
    } finally {
      await bundle.model.dispose();
    }
  });

  it('refuses an ONNX model whose transform encodes another width, naming both', async () => {
    const line = await workspace.writeCsv('line.csv', ['x,y', ...Array.from({ length: 40 }, (_, index) => `${(index * 7) % 11},${index % 2 === 0 ? 'even' : 'odd'}`)].join('\n'));
    const other = await trainModel({
      store: workspace.store,
      dataset: await prepareFrom(workspace, line),
      modelSpec: forestSpecSchema.parse({ kind: 'randomForest', trees: 3 }),
      backendPreference: TEST_BACKEND,
    });
    const mismatched = { ...modelVersion('iris', 2, other.model, dataset), format: other.format };

    await expect(loadTrainedBundle(workspace.store, mismatched)).rejects.toThrow(/must take "features" FP32 \[-1, 4\] and give "probabilities" FP32 \[-1, 3\].*takes "features" FP32 \[-1, 1\]/);
  });

  it('still loads a network (slipway-tfjs) behind the same interface', async () => {
    const bundle = await loadTrainedBundle(workspace.store, modelVersion('iris', 3, await untrainedModel(workspace.store, dataset, 1), dataset));
    try {
      const outputs = await bundle.model.predict(new Float32Array(bundle.signature.width * 2), 2);
      expect(outputs).toHaveLength(2 * 3);
    } finally {
      await bundle.model.dispose();
    }
  });
});

function prepareFrom(workspace: ModelWorkspace, path: string): Promise<PreparedDatasetRef> {
  return prepareDataset({ store: workspace.store, source: datasetSourceSchema.parse({ uri: basename(path), labelColumn: 'y' }), dataRoot: dirname(path) });
}
