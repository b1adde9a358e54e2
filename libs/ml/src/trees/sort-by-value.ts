/** Below this many elements insertion sort beats partitioning. */
const INSERTION_SORT_MAX = 16;

/**
 * Sorts `values[start:end]` ascending in place and applies the same permutation to `rows[start:end]`: the split search
 * sorts a node's rows by one feature at every node, so this is the tree's hot loop. Introsort: quicksort with a
 * median-of-3 pivot and a three-way partition (one-hot columns are mostly ties), heapsort past 2·log2(n) levels so
 * the worst case stays O(n log n), insertion sort on short ranges. Not stable: the split search only cuts between
 * different values, so the order of ties does not matter. `partitionLevels` (0: heapsort alone) is there for tests.
 */
export function sortByValue(values: Float32Array, rows: Int32Array, start: number, end: number, partitionLevels = 2 * Math.floor(Math.log2(Math.max(1, end - start)))): void {
  if (end - start < 2) return;
  introsort(values, rows, start, end, partitionLevels);
}

function introsort(values: Float32Array, rows: Int32Array, start: number, end: number, depthLimit: number): void {
  let from = start;
  let to = end;
  let levels = depthLimit;
  while (to - from > INSERTION_SORT_MAX) {
    if (levels === 0) {
      heapsort(values, rows, from, to);
      return;
    }
    levels -= 1;
    const pivot = medianOfThree(values[from], values[from + ((to - from) >> 1)], values[to - 1]);
    // Dijkstra's partition: [from, less) < pivot, [less, index) == pivot, [greater, to) > pivot.
    let less = from;
    let index = from;
    let greater = to;
    while (index < greater) {
      const value = values[index];
      if (value < pivot) {
        swap(values, rows, less, index);
        less += 1;
        index += 1;
      } else if (value > pivot) {
        greater -= 1;
        swap(values, rows, index, greater);
      } else {
        index += 1;
      }
    }
    // Recurse into the smaller side and loop on the larger one, so the stack stays O(log n).
    if (less - from < to - greater) {
      introsort(values, rows, from, less, levels);
      from = greater;
    } else {
      introsort(values, rows, greater, to, levels);
      to = less;
    }
  }
  insertionSort(values, rows, from, to);
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

function swap(values: Float32Array, rows: Int32Array, i: number, j: number): void {
  const value = values[i];
  values[i] = values[j];
  values[j] = value;
  const row = rows[i];
  rows[i] = rows[j];
  rows[j] = row;
}

function insertionSort(values: Float32Array, rows: Int32Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i += 1) {
    const value = values[i];
    const row = rows[i];
    let j = i - 1;
    while (j >= start && values[j] > value) {
      values[j + 1] = values[j];
      rows[j + 1] = rows[j];
      j -= 1;
    }
    values[j + 1] = value;
    rows[j + 1] = row;
  }
}

function heapsort(values: Float32Array, rows: Int32Array, start: number, end: number): void {
  const count = end - start;
  for (let root = (count >> 1) - 1; root >= 0; root -= 1) siftDown(values, rows, start, root, count);
  for (let last = count - 1; last > 0; last -= 1) {
    swap(values, rows, start, start + last);
    siftDown(values, rows, start, 0, last);
  }
}

function siftDown(values: Float32Array, rows: Int32Array, offset: number, root: number, count: number): void {
  let parent = root;
  for (;;) {
    let child = 2 * parent + 1;
    if (child >= count) return;
    if (child + 1 < count && values[offset + child + 1] > values[offset + child]) child += 1;
    if (values[offset + parent] >= values[offset + child]) return;
    swap(values, rows, offset + parent, offset + child);
    parent = child;
  }
}
