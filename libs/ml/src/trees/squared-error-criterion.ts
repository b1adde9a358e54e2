import { SAME_VALUE_TOLERANCE, type Cut, type SplitCriterion } from './split-criterion';

/** Weighted squared error around the node mean, scikit-learn's `criterion='squared_error'`. */
export class SquaredErrorCriterion implements SplitCriterion {
  readonly outputs = 1;
  private nodeWeight = 0;
  private nodeSum = 0;
  private nodeSumOfSquares = 0;

  constructor(
    private readonly labels: Float64Array,
    private readonly weights: Float64Array,
  ) {}

  measureNode(samples: Int32Array, start: number, end: number): void {
    const { labels, weights } = this;
    let nodeWeight = 0;
    let nodeSum = 0;
    let nodeSumOfSquares = 0;
    for (let index = start; index < end; index += 1) {
      const row = samples[index];
      const weight = weights[row];
      const weighted = weight * labels[row];
      nodeWeight += weight;
      nodeSum += weighted;
      nodeSumOfSquares += weighted * labels[row];
    }
    this.nodeWeight = nodeWeight;
    this.nodeSum = nodeSum;
    this.nodeSumOfSquares = nodeSumOfSquares;
  }

  impurity(): number {
    const mean = this.nodeSum / this.nodeWeight;
    return this.nodeSumOfSquares / this.nodeWeight - mean * mean;
  }

  writeValue(value: Float32Array, offset: number): void {
    value[offset] = this.nodeSum / this.nodeWeight;
  }

  bestCut(samples: Int32Array, values: Float32Array, start: number, end: number, minSamplesLeaf: number, cut: Cut): void {
    const { labels, weights, nodeWeight, nodeSum } = this;
    cut.position = -1;
    cut.proxy = -Infinity;
    let leftWeight = 0;
    let leftSum = 0;
    const firstPosition = start + minSamplesLeaf;
    const lastPosition = end - minSamplesLeaf;
    for (let index = start; index < lastPosition; index += 1) {
      const row = samples[index];
      const weight = weights[row];
      leftWeight += weight;
      leftSum += weight * labels[row];
      const position = index + 1;
      if (position < firstPosition || values[position] <= values[index] + SAME_VALUE_TOLERANCE) continue;
      // sum_left²/w_left + sum_right²/w_right: the weighted squared-error decrease, less what every cut shares.
      const rightSum = nodeSum - leftSum;
      const proxy = (leftSum * leftSum) / leftWeight + (rightSum * rightSum) / (nodeWeight - leftWeight);
      if (proxy > cut.proxy) {
        cut.proxy = proxy;
        cut.position = position;
      }
    }
  }
}
