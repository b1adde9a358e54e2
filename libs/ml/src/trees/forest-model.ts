export type ForestTask = 'classification' | 'regression';

/** What a forest learns from: the transform's encoded rows (no NaN: the transform imputes before) and their labels. */
export interface ForestTrainingSet {
  /** Row-major, `rows × width`. */
  features: Float32Array;
  rows: number;
  width: number;
  /** One per row: a class index (classification) or a value (regression). */
  labels: Int32Array | Float32Array;
  task: ForestTask;
  /**
   * Classification: the number of classes. Labels are `0..classCount-1`; a class may be absent from the rows and still
   * gets its (zero) column in the predictions.
   * @defaultValue the largest label + 1, at least 2
   */
  classCount?: number;
  /** Classification: per class index, a positive factor on the weight of that class's rows (scikit-learn's `class_weight`). */
  classWeights?: ArrayLike<number>;
}

/** `'sqrt'`: `floor(sqrt(width))`; `'all'`: every feature; a fraction in (0, 1]: `floor(fraction × width)`; at least 1. */
export type MaxFeatures = 'sqrt' | 'all' | number;

/** scikit-learn's RandomForestClassifier / RandomForestRegressor hyperparameters, under the same defaults. */
export interface ForestOptions {
  /** Number of trees. */
  trees: number;
  /**
   * Features drawn (without replacement) at every split.
   * @defaultValue `'sqrt'` for classification, `'all'` for regression
   */
  maxFeatures?: MaxFeatures;
  /**
   * Fewest rows in a leaf, counted in distinct rows, not in weight.
   * @defaultValue 1
   */
  minSamplesLeaf?: number;
  /**
   * Deepest level a node may have (the root is depth 0, so 1 grows stumps).
   * @defaultValue unlimited
   */
  maxDepth?: number;
  /**
   * Each tree learns from `rows` draws with replacement, each row weighted by how often it was drawn.
   * @defaultValue true
   */
  bootstrap?: boolean;
  /** Tree `i` draws from a PRNG seeded with `${seed}:${i}`: a forest's trees do not depend on how many are built. */
  seed: number;
}

/** One CART tree in flat arrays, indexed by node id; the root is node 0 and nodes are numbered depth-first, left first. */
export interface DecisionTree {
  /** Encoded width of the rows the tree was grown on (and must be given). */
  width: number;
  /** Values per node: the class count (classification) or 1 (regression). */
  outputs: number;
  nodeCount: number;
  /** The feature a node splits on, or -1 for a leaf. */
  feature: Int32Array;
  /** Rows with `x[feature] <= threshold` go left: a float32 compared with the float32 feature, as ONNX Runtime does. */
  threshold: Float32Array;
  /** Child node ids, -1 for a leaf. */
  left: Int32Array;
  right: Int32Array;
  /**
   * `nodeCount × outputs`: each node's weighted class distribution (summing to 1) or weighted mean value, as
   * scikit-learn's `tree_.value`; a leaf's is what the tree predicts.
   */
  value: Float32Array;
}

export interface RandomForest {
  task: ForestTask;
  width: number;
  /** The class count (classification) or 1 (regression). */
  outputs: number;
  trees: DecisionTree[];
}
