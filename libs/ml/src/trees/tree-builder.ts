import type { DecisionTree } from './forest-model';

const INITIAL_CAPACITY = 64;

/** Grows a DecisionTree's flat arrays node by node (doubling their capacity), then trims them to the node count. */
export class TreeBuilder {
  private capacity = INITIAL_CAPACITY;
  private nodeCount = 0;
  private feature = new Int32Array(INITIAL_CAPACITY);
  private threshold = new Float32Array(INITIAL_CAPACITY);
  private left = new Int32Array(INITIAL_CAPACITY);
  private right = new Int32Array(INITIAL_CAPACITY);
  /** Written by the caller at `node × outputs` after {@link addNode}. */
  value: Float32Array;

  constructor(
    private readonly width: number,
    private readonly outputs: number,
  ) {
    this.value = new Float32Array(INITIAL_CAPACITY * outputs);
  }

  /** Adds a leaf, as the `side` child of `parent` (-1 for the root), and returns its id. */
  addNode(parent: number, side: 'left' | 'right'): number {
    if (this.nodeCount === this.capacity) this.grow();
    const node = this.nodeCount;
    this.nodeCount += 1;
    this.feature[node] = -1;
    this.left[node] = -1;
    this.right[node] = -1;
    if (parent >= 0) (side === 'left' ? this.left : this.right)[parent] = node;
    return node;
  }

  /** Turns a leaf into a split; its children are linked when they are added. */
  setSplit(node: number, feature: number, threshold: number): void {
    this.feature[node] = feature;
    this.threshold[node] = threshold;
  }

  build(): DecisionTree {
    const count = this.nodeCount;
    return {
      width: this.width,
      outputs: this.outputs,
      nodeCount: count,
      feature: this.feature.slice(0, count),
      threshold: this.threshold.slice(0, count),
      left: this.left.slice(0, count),
      right: this.right.slice(0, count),
      value: this.value.slice(0, count * this.outputs),
    };
  }

  private grow(): void {
    this.capacity *= 2;
    this.feature = resized(this.feature, this.capacity);
    this.threshold = resized(this.threshold, this.capacity);
    this.left = resized(this.left, this.capacity);
    this.right = resized(this.right, this.capacity);
    this.value = resized(this.value, this.capacity * this.outputs);
  }
}

function resized<T extends Int32Array | Float32Array>(array: T, length: number): T {
  const larger = new (array.constructor as new (length: number) => T)(length);
  larger.set(array);
  return larger;
}
