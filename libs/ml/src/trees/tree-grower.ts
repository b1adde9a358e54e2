import type { DecisionTree } from './forest-model';
import type { SplitCriterion } from './split-criterion';
import { SplitFinder, type FeatureColumns } from './split-finder';
import { TreeBuilder } from './tree-builder';

/** scikit-learn's forests fix min_samples_split at 2: a node of one row is a leaf. */
const MIN_SAMPLES_SPLIT = 2;
/** A node at or below this impurity is pure (scikit-learn's EPSILON). */
const PURE = Number.EPSILON;
const LEFT = 0;
const RIGHT = 1;

export interface GrowthLimits {
  /** Features drawn at each split, already resolved to a count. */
  maxFeatures: number;
  minSamplesLeaf: number;
  /** `Infinity` for unlimited. */
  maxDepth: number;
}

/**
 * Grows CART trees depth first (scikit-learn's DepthFirstTreeBuilder), reusing its scratch arrays from tree to tree.
 * `weights` is read at every {@link grow}: the caller fills it with the tree's sample weights first; rows of weight 0
 * are not in the tree at all.
 */
export class TreeGrower {
  /** The rows of the tree, grouped so that each node's rows are a contiguous range. */
  private readonly samples: Int32Array;
  private readonly finder: SplitFinder;

  constructor(
    private readonly features: FeatureColumns,
    private readonly weights: Float64Array,
    private readonly criterion: SplitCriterion,
    private readonly limits: GrowthLimits,
  ) {
    this.samples = new Int32Array(features.rows);
    this.finder = new SplitFinder(features, criterion, limits.maxFeatures, limits.minSamplesLeaf);
  }

  grow(random: () => number): DecisionTree {
    const { samples, weights, criterion, finder } = this;
    const { minSamplesLeaf, maxDepth } = this.limits;
    const outputs = criterion.outputs;
    let rowsInTree = 0;
    for (let row = 0; row < this.features.rows; row += 1) if (weights[row] > 0) samples[rowsInTree++] = row;

    const builder = new TreeBuilder(this.features.width, outputs);
    // Entries of five numbers: start, end, depth, parent, side. Pushing right before left numbers nodes left first.
    const stack: number[] = [0, rowsInTree, 0, -1, LEFT];
    while (stack.length > 0) {
      const side = stack.pop() as number;
      const parent = stack.pop() as number;
      const depth = stack.pop() as number;
      const end = stack.pop() as number;
      const start = stack.pop() as number;

      const node = builder.addNode(parent, side === LEFT ? 'left' : 'right');
      criterion.measureNode(samples, start, end);
      criterion.writeValue(builder.value, node * outputs);
      const rowsInNode = end - start;
      if (depth >= maxDepth || rowsInNode < MIN_SAMPLES_SPLIT || rowsInNode < 2 * minSamplesLeaf || criterion.impurity() <= PURE) continue;
      const split = finder.split(samples, start, end, random);
      if (!split) continue;
      builder.setSplit(node, split.feature, split.threshold);
      stack.push(split.position, end, depth + 1, node, RIGHT, start, split.position, depth + 1, node, LEFT);
    }
    return builder.build();
  }
}
