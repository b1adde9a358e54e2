import { networkSpecSchema, type NetworkSpecInput } from '@slipway/contracts';
import seedrandom from 'seedrandom';
import { classificationOf } from '../testing/split-metrics';
import { gaussian, putSyntheticDataset, splitInOrder } from '../testing/synthetic-dataset';
import { useTrainingFixture } from '../testing/training-fixture';
import { trainModel } from './train-model';

describe('trainModel with class weights on an imbalanced label', () => {
  const imbalanced = useTrainingFixture('wasm', (store) => {
    // A common class (94%) and two compact rare ones (4%, 2%) inside its spread, which an unweighted loss can afford to ignore.
    const random = seedrandom('imbalanced');
    const centres = [
      [0, 0],
      [1.5, 0],
      [0, 1.5],
    ];
    const classOf = (draw: number): number => (draw < 0.94 ? 0 : draw < 0.98 ? 1 : 2);
    const labels = Array.from({ length: 1_500 }, () => classOf(random()));
    const features = labels.map((label) => centres[label].map((centre) => centre + (label === 0 ? 1 : 0.4) * gaussian(random)));
    const splits = splitInOrder({ features, labels }, { train: 0.6, validation: 0.2 });
    return putSyntheticDataset(store, { task: 'classification', classes: ['common', 'rare', 'rarer'], ...splits });
  });

  const SPEC: NetworkSpecInput = { layers: [{ type: 'dense', units: 16, activation: 'relu' }], learningRate: 0.01, epochs: 15, batchSize: 32, seed: 1 };
  const train = (spec: NetworkSpecInput) => trainModel({ store: imbalanced.store, dataset: imbalanced.dataset, modelSpec: networkSpecSchema.parse(spec), backendPreference: 'wasm' });

  it('raises macro-F1 over an unweighted training with the same seed when the classes are balanced', async () => {
    const unweighted = await train(SPEC);
    const balanced = await train({ ...SPEC, classWeight: 'balanced' });
    for (const split of ['validation', 'test'] as const) {
      const [before, after] = [classificationOf(unweighted.metrics[split]), classificationOf(balanced.metrics[split])];
      // Unweighted, the rare classes are never predicted: high accuracy, and a macro-F1 that shows it.
      expect(before.perClass?.slice(1).map((figures) => figures.recall)).toEqual([0, 0]);
      expect(before.accuracy).toBeGreaterThan(0.9);
      expect(after.macroF1).toBeGreaterThan((before.macroF1 ?? NaN) + 0.1);
      expect(after.balancedAccuracy).toBeGreaterThan((before.balancedAccuracy ?? NaN) + 0.1);
    }
  }, 20_000);
});
