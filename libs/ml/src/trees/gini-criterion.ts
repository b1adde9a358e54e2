import { SAME_VALUE_TOLERANCE, type Cut, type SplitCriterion } from './split-criterion';

/** Gini impurity on weighted class counts, scikit-learn's `criterion='gini'`. */
export class GiniCriterion implements SplitCriterion {
  private readonly nodeCounts: Float64Array;
  private readonly leftCounts: Float64Array;
  private nodeWeight = 0;

  constructor(
    private readonly labels: Int32Array,
    private readonly weights: Float64Array,
    readonly outputs: number,
  ) {
    this.nodeCounts = new Float64Array(outputs);
    this.leftCounts = new Float64Array(outputs);
  }

  measureNode(samples: Int32Array, start: number, end: number): void {
    const { labels, weights, nodeCounts } = this;
    nodeCounts.fill(0);
    let nodeWeight = 0;
    for (let index = start; index < end; index += 1) {
      const row = samples[index];
      const weight = weights[row];
      nodeCounts[labels[row]] += weight;
      nodeWeight += weight;
    }
    this.nodeWeight = nodeWeight;
  }

  impurity(): number {
    let sumOfSquares = 0;
    for (let label = 0; label < this.outputs; label += 1) {
      const share = this.nodeCounts[label] / this.nodeWeight;
      sumOfSquares += share * share;
    }
    return 1 - sumOfSquares;
  }

  writeValue(value: Float32Array, offset: number): void {
    for (let label = 0; label < this.outputs; label += 1) value[offset + label] = this.nodeCounts[label] / this.nodeWeight;
  }

  bestCut(samples: Int32Array, values: Float32Array, start: number, end: number, minSamplesLeaf: number, cut: Cut): void {
    const { labels, weights, nodeCounts, leftCounts, nodeWeight, outputs } = this;
    leftCounts.fill(0);
    cut.position = -1;
    cut.proxy = -Infinity;
    let leftWeight = 0;
    const firstPosition = start + minSamplesLeaf;
    const lastPosition = end - minSamplesLeaf;
    for (let index = start; index < lastPosition; index += 1) {
      const row = samples[index];
      const weight = weights[row];
      leftCounts[labels[row]] += weight;
      leftWeight += weight;
      const position = index + 1;
      if (position < firstPosition || values[position] <= values[index] + SAME_VALUE_TOLERANCE) continue;
      // Σ left_c²/w_left + Σ right_c²/w_right: the weighted Gini decrease, less what every cut of this node shares.
      let left = 0;
      let right = 0;
      for (let label = 0; label < outputs; label += 1) {
        const leftCount = leftCounts[label];
        const rightCount = nodeCounts[label] - leftCount;
        left += leftCount * leftCount;
        right += rightCount * rightCount;
      }
      const proxy = left / leftWeight + right / (nodeWeight - leftWeight);
      if (proxy > cut.proxy) {
        cut.proxy = proxy;
        cut.position = position;
      }
    }
  }
}
