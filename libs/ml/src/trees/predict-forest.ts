import type { DecisionTree, RandomForest } from './forest-model';

/**
 * Adds the tree's leaf values for each of `rows` row-major rows to `into` (`rows × outputs`). A Float64Array keeps a
 * forest's sum exact enough to match ONNX Runtime, which sums the exported trees in double.
 */
export function addTreePredictions(tree: DecisionTree, features: Float32Array, rows: number, into: Float64Array | Float32Array): void {
  const { width, outputs, feature, threshold, left, right, value } = tree;
  if (features.length !== rows * width) throw new RangeError(`features has ${features.length} values, expected rows × width = ${rows} × ${width} = ${rows * width}`);
  if (into.length !== rows * outputs) throw new RangeError(`predictions have room for ${into.length} values, expected rows × outputs = ${rows} × ${outputs} = ${rows * outputs}`);
  for (let row = 0; row < rows; row += 1) {
    const base = row * width;
    let node = 0;
    for (let split = feature[0]; split >= 0; split = feature[node]) node = features[base + split] <= threshold[node] ? left[node] : right[node];
    const from = node * outputs;
    const to = row * outputs;
    for (let output = 0; output < outputs; output += 1) into[to + output] += value[from + output];
  }
}

/** The forest's prediction for each row: the average of its trees' leaf values (class probabilities or the value), `rows × outputs`. */
export function predictForest(forest: RandomForest, features: Float32Array, rows: number): Float32Array {
  const sums = new Float64Array(rows * forest.outputs);
  for (const tree of forest.trees) addTreePredictions(tree, features, rows, sums);
  return Float32Array.from(sums, (sum) => sum / forest.trees.length);
}
