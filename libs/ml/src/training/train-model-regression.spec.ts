import { networkSpecSchema, trainedModelSchema, type NetworkSpecInput } from '@slipway/contracts';
import seedrandom from 'seedrandom';
import { loadModelBundle } from '../model/load-model-bundle';
import { predictValues } from '../model/predict';
import { regressionOf } from '../testing/split-metrics';
import { gaussian, putSyntheticDataset, splitInOrder } from '../testing/synthetic-dataset';
import { useTrainingFixture } from '../testing/training-fixture';
import { trainModel } from './train-model';

describe('trainModel on y = 2x + 1 + noise (regression)', () => {
  const NOISE = 0.3;
  const line = useTrainingFixture('wasm', (store) => {
    const random = seedrandom('line');
    const xs = Array.from({ length: 400 }, () => random() * 6 - 3);
    const rows = { features: xs.map((x) => [x]), labels: xs.map((x) => 2 * x + 1 + NOISE * gaussian(random)) };
    return putSyntheticDataset(store, { task: 'regression', ...splitInOrder(rows, { train: 0.7, validation: 0.15 }) });
  });

  const SPEC: NetworkSpecInput = { layers: [{ type: 'dense', units: 8, activation: 'relu' }], learningRate: 0.02, epochs: 40, batchSize: 32 };
  const train = (spec: NetworkSpecInput) => trainModel({ store: line.store, dataset: line.dataset, modelSpec: networkSpecSchema.parse(spec), backendPreference: 'wasm' });

  it("learns the line to R² > 0.9 on validation and test, with errors in the label's units", async () => {
    const result = await train(SPEC);
    expect(trainedModelSchema.parse(result)).toEqual(result);
    const [validation, test] = [regressionOf(result.metrics.validation), regressionOf(result.metrics.test)];
    expect(validation.rows).toBe(line.dataset.rowCounts.validation);
    expect(test.rows).toBe(line.dataset.rowCounts.test);
    for (const metrics of [validation, test]) {
      expect(metrics.r2).toBeGreaterThan(0.9);
      // The noise's standard deviation bounds what any model can reach; a model in standardised units would be far below it.
      expect(metrics.rmse).toBeGreaterThan(NOISE * 0.7);
      expect(metrics.rmse).toBeLessThan(NOISE * 2);
      expect(metrics.rmse).toBeCloseTo(Math.sqrt(metrics.mse), 12);
      expect(metrics.mae).toBeLessThanOrEqual(metrics.rmse);
    }
    // The loss is on the standardised label, as in training: the last epoch's valLoss.
    expect(validation.loss).toBeCloseTo(result.history[result.history.length - 1].valLoss ?? NaN, 4);
    expect(result.history.every((epoch) => epoch.accuracy === undefined && epoch.valAccuracy === undefined && epoch.valLoss !== undefined)).toBe(true);
  });

  it("serves predictions in the label's units from the saved bundle", async () => {
    const result = await train(SPEC);
    const bundle = await loadModelBundle(line.store, result.model.digest, result.transform.digest);
    try {
      if (bundle.signature.task !== 'regression') throw new Error(`expected a regressor, got ${bundle.signature.task}`);
      const predictions = predictValues(bundle.model, Float32Array.from([-2, 0, 2]), 3, bundle.signature.width, bundle.signature.label);
      Array.from(predictions).forEach((value, index) => expect(value).toBeCloseTo([-3, 1, 5][index], 0));
    } finally {
      bundle.model.dispose();
    }
  });

  it('refuses class weights and monitoring valAccuracy, which a regressor has not', async () => {
    await expect(train({ ...SPEC, classWeight: 'balanced' })).rejects.toMatchObject({ name: 'ModelSpecError', field: 'classWeight' });
    await expect(train({ ...SPEC, earlyStopping: { monitor: 'valAccuracy' } })).rejects.toMatchObject({ name: 'ModelSpecError', field: 'earlyStopping.monitor' });
  });
});
