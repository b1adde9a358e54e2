import seedrandom from 'seedrandom';
import type { DecisionTree, ForestTrainingSet } from '../forest-model';

/** Uniform features in [-2, 2), row-major. */
export function uniformFeatures(seed: string, rows: number, width: number): Float32Array {
  const random = seedrandom(seed);
  return Float32Array.from({ length: rows * width }, () => random() * 4 - 2);
}

/** Classes by `x[0] + x[1]` against thresholds, with `flip` of the labels replaced by a random class. */
export function classificationSet(seed: string, rows: number, width: number, classCount: number, flip = 0): ForestTrainingSet {
  const random = seedrandom(`${seed}:labels`);
  const features = uniformFeatures(seed, rows, width);
  const labels = Int32Array.from({ length: rows }, (_, row) => {
    if (random() < flip) return Math.floor(random() * classCount);
    const score = (features[row * width] + features[row * width + 1] + 4) / 8;
    return Math.min(classCount - 1, Math.floor(score * classCount));
  });
  return { features, rows, width, labels, task: 'classification', classCount };
}

/** The leaf each row reaches. */
export function leafOf(tree: DecisionTree, features: Float32Array, row: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) node = features[row * tree.width + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return node;
}

export function depthOf(tree: DecisionTree, node = 0): number {
  return tree.feature[node] < 0 ? 0 : 1 + Math.max(depthOf(tree, tree.left[node]), depthOf(tree, tree.right[node]));
}

export const leavesOf = (tree: DecisionTree) => Array.from({ length: tree.nodeCount }, (_, node) => node).filter((node) => tree.feature[node] < 0);
