/**
 * Feature values closer than this count as equal: no cut between them, and a feature whose values in a node span no
 * more is constant there. scikit-learn's FEATURE_THRESHOLD, kept so that the same rows give the same cuts.
 */
export const SAME_VALUE_TOLERANCE = 1e-7;

/** A cut of a node's rows sorted by one feature: rows `[start, position)` go left; `position` is -1 when none is allowed. */
export interface Cut {
  position: number;
  /** The impurity improvement up to terms that are the same for every cut of the node; higher is better. */
  proxy: number;
}

/** Gini (classification) or squared error (regression): node statistics and the sweep over sorted rows. */
export interface SplitCriterion {
  /** Number of values per node (the class count, or 1). */
  readonly outputs: number;
  /** Sums the weights of rows `samples[start:end]`; the other methods describe that node until the next call. */
  measureNode(samples: Int32Array, start: number, end: number): void;
  /** The node's impurity: Gini index or weighted variance. */
  impurity(): number;
  /** Writes the node's value (class distribution or mean) at `value[offset : offset + outputs]`. */
  writeValue(value: Float32Array, offset: number): void;
  /**
   * Sweeps the node's rows, sorted by one feature's `values`, once: the best cut between two different values that
   * leaves at least `minSamplesLeaf` rows on each side; the first of equal ones.
   */
  bestCut(samples: Int32Array, values: Float32Array, start: number, end: number, minSamplesLeaf: number, cut: Cut): void;
}
