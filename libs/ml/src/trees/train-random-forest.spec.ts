import seedrandom from 'seedrandom';
import type { ForestTrainingSet } from './forest-model';
import { predictForest } from './predict-forest';
import { classificationSet, depthOf, leafOf, leavesOf, uniformFeatures } from './testing/forest-sets';
import { trainRandomForest } from './train-random-forest';

const argmaxes = (probabilities: Float32Array, classes: number) =>
  Array.from({ length: probabilities.length / classes }, (_, row) => {
    const from = row * classes;
    let best = 0;
    for (let label = 1; label < classes; label += 1) if (probabilities[from + label] > probabilities[from + best]) best = label;
    return best;
  });

describe('trainRandomForest: tree growth', () => {
  it('grows pure leaves on a separable set and predicts its rows exactly', () => {
    const set = classificationSet('separable', 300, 4, 3);
    const forest = trainRandomForest(set, { trees: 20, seed: 1 });
    for (const tree of forest.trees) {
      for (const leaf of leavesOf(tree)) expect(Array.from(tree.value.subarray(leaf * 3, leaf * 3 + 3)).sort()).toEqual([0, 0, 1]);
    }
    expect(argmaxes(predictForest(forest, set.features, set.rows), 3)).toEqual(Array.from(set.labels));
  });

  it('splits halfway between two different values as a float32, sending x <= threshold left', () => {
    // 1 + 2^-23 and 1 + 2^-22 are adjacent float32s: their midpoint rounds up to the larger one, so the smaller is the threshold.
    const [below, above] = [1 + 2 ** -23, 1 + 2 ** -22];
    const set: ForestTrainingSet = { features: Float32Array.from([0.5, below, above, 3]), rows: 4, width: 1, labels: Int32Array.from([0, 0, 1, 1]), task: 'classification' };
    const [tree] = trainRandomForest(set, { trees: 1, seed: 1, bootstrap: false }).trees;
    expect(tree.nodeCount).toBe(3);
    expect(tree.threshold[0]).toBe(below);
    const halfway: ForestTrainingSet = { ...set, features: Float32Array.from([0, 1, 2, 3]) };
    expect(trainRandomForest(halfway, { trees: 1, seed: 1, bootstrap: false }).trees[0].threshold[0]).toBe(1.5);
  });

  it('keeps at least minSamplesLeaf rows in every leaf', () => {
    const set = classificationSet('leaf-size', 400, 5, 2, 0.3);
    for (const minSamplesLeaf of [1, 5, 20]) {
      const forest = trainRandomForest(set, { trees: 5, seed: 2, bootstrap: false, minSamplesLeaf });
      for (const tree of forest.trees) {
        const rowsPerLeaf = new Map<number, number>();
        for (let row = 0; row < set.rows; row += 1) rowsPerLeaf.set(leafOf(tree, set.features, row), (rowsPerLeaf.get(leafOf(tree, set.features, row)) ?? 0) + 1);
        expect(Math.min(...rowsPerLeaf.values())).toBeGreaterThanOrEqual(minSamplesLeaf);
        if (minSamplesLeaf === 1) expect(Math.min(...rowsPerLeaf.values())).toBe(1);
      }
    }
  });

  it('stops at maxDepth and grows deeper without it', () => {
    const set = classificationSet('depth', 400, 5, 2, 0.3);
    const shallow = trainRandomForest(set, { trees: 5, seed: 3, maxDepth: 3 });
    expect(Math.max(...shallow.trees.map((tree) => depthOf(tree)))).toBe(3);
    expect(Math.min(...trainRandomForest(set, { trees: 5, seed: 3 }).trees.map((tree) => depthOf(tree)))).toBeGreaterThan(3);
  });

  it('is deterministic by seed, differs between seeds, and tree i does not depend on how many trees are grown', () => {
    const set = classificationSet('seeds', 300, 6, 3, 0.2);
    const [first, again, other, longer] = [
      trainRandomForest(set, { trees: 3, seed: 5 }),
      trainRandomForest(set, { trees: 3, seed: 5 }),
      trainRandomForest(set, { trees: 3, seed: 6 }),
      trainRandomForest(set, { trees: 6, seed: 5 }),
    ];
    expect(again).toEqual(first);
    expect(longer.trees.slice(0, 3)).toEqual(first.trees);
    expect(other.trees[0].threshold).not.toEqual(first.trees[0].threshold);
  });

  it('weights each tree by a bootstrap draw unless bootstrap is off', () => {
    const set = classificationSet('bootstrap', 200, 3, 2, 0.3);
    const share = Array.from(set.labels).filter((label) => label === 1).length / set.rows;
    const rootShares = (bootstrap: boolean) => trainRandomForest(set, { trees: 4, seed: 7, bootstrap }).trees.map((tree) => tree.value[1]);
    for (const rootShare of rootShares(false)) expect(rootShare).toBeCloseTo(share, 6);
    expect(new Set(rootShares(true)).size).toBe(4);
  });

  it('tries only maxFeatures features at a split: a single informative feature is missed by trees that did not draw it', () => {
    // Only feature 0 carries the label; with one feature per split, each root draws one of 10 at random.
    const features = uniformFeatures('one-feature', 200 * 10, 1).map((value, index) => (index % 10 === 0 ? value : Math.round(value * 1000) / 1000));
    const labels = Int32Array.from({ length: 200 }, (_, row) => (features[row * 10] > 0 ? 1 : 0));
    const set: ForestTrainingSet = { features, rows: 200, width: 10, labels, task: 'classification' };
    const rootFeatures = (maxFeatures: 'all' | number) => trainRandomForest(set, { trees: 30, seed: 8, maxFeatures }).trees.map((tree) => tree.feature[0]);
    expect(new Set(rootFeatures('all'))).toEqual(new Set([0]));
    expect(new Set(rootFeatures(0.1)).size).toBeGreaterThan(3);
  });

  it('counts a drawn constant feature towards maxFeatures, as scikit-learn does, but draws on until a non-constant one', () => {
    // Feature 0 predicts the label, feature 1 barely; features 2..9 are constant. With 2 features per split, a root
    // that draws a constant and feature 1 first splits on feature 1; one that draws only constants keeps drawing.
    const features = uniformFeatures('constants', 300 * 10, 1).map((value, index) => (index % 10 === 0 ? value : index % 10 === 1 ? value : 0.5));
    const labels = Int32Array.from({ length: 300 }, (_, row) => (features[row * 10] > 0 ? 1 : 0));
    const set: ForestTrainingSet = { features, rows: 300, width: 10, labels, task: 'classification' };
    const roots = trainRandomForest(set, { trees: 40, seed: 13, maxFeatures: 0.2 }).trees.map((tree) => tree.feature[0]);
    expect(new Set(roots)).toEqual(new Set([0, 1]));
    expect(new Set(trainRandomForest(set, { trees: 40, seed: 13, maxFeatures: 0.1 }).trees.map((tree) => tree.feature[0]))).toEqual(new Set([0, 1]));
  });

  it('class weights move the prediction towards the weighted class', () => {
    const set = classificationSet('weights', 400, 3, 2, 0.6);
    const test = uniformFeatures('weights-test', 500, 3);
    const classOneShare = (classWeights?: number[]) => {
      const predictions = argmaxes(predictForest(trainRandomForest({ ...set, classWeights }, { trees: 30, seed: 9, minSamplesLeaf: 20 }), test, 500), 2);
      return predictions.filter((label) => label === 1).length / predictions.length;
    };
    const unweighted = classOneShare();
    expect(classOneShare([1, 5])).toBeGreaterThan(unweighted + 0.1);
    expect(classOneShare([5, 1])).toBeLessThan(unweighted - 0.1);
  });

  it('gives an absent class its zero column', () => {
    const set = { ...classificationSet('absent', 100, 2, 2), classCount: 3 };
    const probabilities = predictForest(trainRandomForest(set, { trees: 5, seed: 10 }), set.features, set.rows);
    expect(probabilities.length).toBe(300);
    expect(argmaxes(probabilities, 3)).not.toContain(2);
    for (let row = 0; row < set.rows; row += 1) expect(probabilities[row * 3 + 2]).toBe(0);
  });
});

describe('trainRandomForest: regression', () => {
  const target = (x: Float32Array, row: number) => Math.sin(2 * x[row * 3]) + 0.5 * x[row * 3 + 1] ** 2;

  it('learns y = sin(2 x0) + x1² / 2 + noise to R² > 0.9 on unseen rows, ignoring the noise feature', () => {
    const random = seedrandom('regression');
    const features = uniformFeatures('regression', 600, 3);
    const labels = Float32Array.from({ length: 600 }, (_, row) => target(features, row) + 0.1 * (random() - 0.5));
    const forest = trainRandomForest({ features, rows: 600, width: 3, labels, task: 'regression' }, { trees: 50, seed: 11 });
    expect(forest.outputs).toBe(1);
    const test = uniformFeatures('regression-test', 400, 3);
    const predicted = predictForest(forest, test, 400);
    const truth = Array.from({ length: 400 }, (_, row) => target(test, row));
    const average = truth.reduce((sum, value) => sum + value, 0) / truth.length;
    const r2 = 1 - truth.reduce((sum, value, row) => sum + (value - predicted[row]) ** 2, 0) / truth.reduce((sum, value) => sum + (value - average) ** 2, 0);
    expect(r2).toBeGreaterThan(0.9);
  });

  it('predicts the mean of the leaf rows: a forest of one unbootstrapped tree reproduces distinct training rows', () => {
    const features = uniformFeatures('exact', 50, 3);
    const labels = Float32Array.from({ length: 50 }, (_, row) => target(features, row));
    const forest = trainRandomForest({ features, rows: 50, width: 3, labels, task: 'regression' }, { trees: 1, seed: 12, bootstrap: false });
    expect(Array.from(predictForest(forest, features, 50))).toEqual(Array.from(labels));
  });
});

describe('trainRandomForest: input errors', () => {
  const set = classificationSet('errors', 10, 2, 2);
  const options = { trees: 2, seed: 1 };

  it.each<[string, Partial<ForestTrainingSet>, RegExp]>([
    ['features of the wrong length', { features: new Float32Array(19) }, /features has 19 values, expected rows × width = 10 × 2 = 20/],
    ['labels of the wrong length', { labels: new Int32Array(9) }, /labels has 9 values, expected one per row \(10\)/],
    ['a non-finite feature', { features: Float32Array.from({ length: 20 }, (_, index) => (index === 7 ? NaN : 0)) }, /feature at row 3, column 1 is NaN/],
    ['a label outside the classes', { labels: Int32Array.from({ length: 10 }, (_, row) => (row === 4 ? 2 : 0)), classCount: 2 }, /label of row 4 is 2, outside the class indices 0..1/],
    ['a negative label', { labels: Int32Array.from({ length: 10 }, (_, row) => (row === 1 ? -1 : 0)), classCount: undefined }, /label of row 1 is -1/],
    ['class weights of the wrong length', { classWeights: [1, 2, 3] }, /classWeights has 3 values, expected one per class \(2\)/],
    ['a zero class weight', { classWeights: [1, 0] }, /class weight of class 1 is 0/],
    ['class weights on a regression', { task: 'regression', labels: new Float32Array(10), classCount: undefined, classWeights: [1, 1] }, /classCount and classWeights apply to classification only/],
    ['a non-finite regression label', { task: 'regression', labels: Float32Array.from({ length: 10 }, (_, row) => (row === 2 ? Infinity : 0)), classCount: undefined }, /label of row 2 is Infinity/],
  ])('rejects %s with a RangeError', (_, change, message) => {
    expect(() => trainRandomForest({ ...set, ...change }, options)).toThrow(RangeError);
    expect(() => trainRandomForest({ ...set, ...change }, options)).toThrow(message);
  });

  it.each<[string, object, RegExp]>([
    ['no trees', { trees: 0 }, /at least one tree, got trees = 0/],
    ['a fractional minSamplesLeaf', { minSamplesLeaf: 1.5 }, /minSamplesLeaf must be an integer of at least 1, got 1.5/],
    ['maxDepth 0', { maxDepth: 0 }, /maxDepth must be an integer of at least 1, got 0/],
    ['maxFeatures above 1', { maxFeatures: 1.5 }, /maxFeatures must be 'sqrt', 'all' or a fraction in \(0, 1\], got 1.5/],
  ])('rejects %s with a RangeError', (_, change, message) => {
    expect(() => trainRandomForest(set, { ...options, ...change })).toThrow(RangeError);
    expect(() => trainRandomForest(set, { ...options, ...change })).toThrow(message);
  });
});
