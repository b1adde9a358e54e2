import { sortByValue } from './sort-by-value';
import { SAME_VALUE_TOLERANCE, type Cut, type SplitCriterion } from './split-criterion';

/** The features column by column (`columns[feature × rows + row]`), so one feature's values of a node are close together. */
export interface FeatureColumns {
  columns: Float32Array;
  rows: number;
  width: number;
}

export interface Split {
  feature: number;
  /** A float32: rows with `x[feature] <= threshold` go left. */
  threshold: number;
  /** The node's rows are partitioned so that `samples[start:position]` go left and `samples[position:end]` right. */
  position: number;
}

/** Searches a node's best split, scikit-learn's BestSplitter on dense features without missing values. */
export class SplitFinder {
  /** The node's values of the feature being tried, aligned with `samples` (sorted together). */
  private readonly values: Float32Array;
  /** A Fisher–Yates permutation of the features, drawn anew at every node. */
  private readonly candidates: Int32Array;
  private readonly cut: Cut = { position: -1, proxy: -Infinity };

  constructor(
    private readonly features: FeatureColumns,
    private readonly criterion: SplitCriterion,
    private readonly maxFeatures: number,
    private readonly minSamplesLeaf: number,
  ) {
    this.values = new Float32Array(features.rows);
    this.candidates = new Int32Array(features.width);
  }

  /**
   * The best split of rows `samples[start:end]` (the criterion has measured them) over features drawn without
   * replacement, or undefined when no feature can be cut. As in scikit-learn, a drawn feature that is constant in the
   * node counts towards `maxFeatures` but drawing goes on until at least one non-constant feature was tried.
   */
  split(samples: Int32Array, start: number, end: number, random: () => number): Split | undefined {
    const { columns, rows, width } = this.features;
    const { values, candidates, cut, criterion } = this;
    for (let feature = 0; feature < width; feature += 1) candidates[feature] = feature;
    let undrawn = width;
    let drawn = 0;
    let nonConstant = 0;
    let best: Split | undefined;
    let bestProxy = -Infinity;
    while (undrawn > 0 && (drawn < this.maxFeatures || nonConstant === 0)) {
      const pick = Math.floor(random() * undrawn);
      const feature = candidates[pick];
      undrawn -= 1;
      candidates[pick] = candidates[undrawn];
      candidates[undrawn] = feature;
      drawn += 1;

      const offset = feature * rows;
      let min = Infinity;
      let max = -Infinity;
      for (let index = start; index < end; index += 1) {
        const value = columns[offset + samples[index]];
        values[index] = value;
        if (value < min) min = value;
        if (value > max) max = value;
      }
      if (max <= min + SAME_VALUE_TOLERANCE) continue;
      nonConstant += 1;

      sortByValue(values, samples, start, end);
      criterion.bestCut(samples, values, start, end, this.minSamplesLeaf, cut);
      if (cut.position < 0 || cut.proxy <= bestProxy) continue;
      bestProxy = cut.proxy;
      best = { feature, threshold: thresholdBetween(values[cut.position - 1], values[cut.position]), position: cut.position };
    }
    if (best) partition(samples, start, end, columns, best.feature * rows, best.threshold);
    return best;
  }
}

/**
 * The midpoint as a float32, the type ONNX stores thresholds in; when it rounds up to `above`, `below` instead (as
 * scikit-learn does), so that `x <= threshold` still separates the two values.
 */
function thresholdBetween(below: number, above: number): number {
  const midpoint = Math.fround(below / 2 + above / 2);
  return midpoint === above ? below : midpoint;
}

/** Moves the rows with `x <= threshold` before the others; the split search chose the threshold so that they number `position - start`. */
function partition(samples: Int32Array, start: number, end: number, columns: Float32Array, offset: number, threshold: number): void {
  let next = start;
  let last = end - 1;
  while (next <= last) {
    if (columns[offset + samples[next]] <= threshold) {
      next += 1;
    } else {
      const row = samples[next];
      samples[next] = samples[last];
      samples[last] = row;
      last -= 1;
    }
  }
}
