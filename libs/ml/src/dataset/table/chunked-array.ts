const CHUNK_LENGTH = 1 << 16;

type TypedArray = Float64Array | Int32Array;

/**
 * An append-only typed array that grows by fixed chunks: no doubling (which would hold up to three times the column
 * while copying), and one copy at the end into a single array.
 */
export class ChunkedArray<T extends TypedArray> {
  private readonly chunks: T[] = [];
  private current: T;
  private filled = 0;
  length = 0;

  constructor(private readonly create: (length: number) => T) {
    this.current = create(CHUNK_LENGTH);
  }

  push(value: number): void {
    if (this.filled === CHUNK_LENGTH) {
      this.chunks.push(this.current);
      this.current = this.create(CHUNK_LENGTH);
      this.filled = 0;
    }
    this.current[this.filled] = value;
    this.filled += 1;
    this.length += 1;
  }

  /** Every value pushed, in one array. Frees the chunks: push nothing afterwards. */
  toArray(): T {
    const all = this.create(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    all.set(this.current.subarray(0, this.filled), offset);
    this.chunks.length = 0;
    this.current = this.create(0);
    return all;
  }
}
