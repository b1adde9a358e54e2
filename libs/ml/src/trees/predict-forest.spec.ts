import type { DecisionTree } from './forest-model';
import { addTreePredictions, predictForest } from './predict-forest';

// x0 <= 0.5 → leaf 1 (class 0); else x1 <= -1 → leaf 3 (mixed), else leaf 4 (class 1).
const TREE: DecisionTree = {
  width: 2,
  outputs: 2,
  nodeCount: 5,
  feature: Int32Array.from([0, -1, 1, -1, -1]),
  threshold: Float32Array.from([0.5, 0, -1, 0, 0]),
  left: Int32Array.from([1, -1, 3, -1, -1]),
  right: Int32Array.from([2, -1, 4, -1, -1]),
  value: Float32Array.from([0.5, 0.5, 1, 0, 0.2, 0.8, 0.75, 0.25, 0, 1]),
};
const ROWS = Float32Array.from([0.5, 9, 0.6, -1, 0.6, -0.9]);

describe('addTreePredictions and predictForest', () => {
  it('sends x <= threshold left and adds the leaf values to what is there', () => {
    const into = Float64Array.from([1, 1, 0, 0, 0, 0]);
    addTreePredictions(TREE, ROWS, 3, into);
    expect(Array.from(into)).toEqual([2, 1, 0.75, 0.25, 0, 1]);
  });

  it('averages the trees', () => {
    const flipped: DecisionTree = { ...TREE, value: TREE.value.map((value, index) => TREE.value[index % 2 === 0 ? index + 1 : index - 1] ?? value) };
    const forest = { task: 'classification' as const, width: 2, outputs: 2, trees: [TREE, flipped] };
    expect(Array.from(predictForest(forest, ROWS, 3))).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  it('rejects rows of another width and a result of the wrong size', () => {
    expect(() => addTreePredictions(TREE, new Float32Array(5), 3, new Float64Array(6))).toThrow(new RangeError('features has 5 values, expected rows × width = 3 × 2 = 6'));
    expect(() => addTreePredictions(TREE, ROWS, 3, new Float64Array(3))).toThrow(new RangeError('predictions have room for 3 values, expected rows × outputs = 3 × 2 = 6'));
  });
});
