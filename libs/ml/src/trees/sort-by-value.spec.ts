import seedrandom from 'seedrandom';
import { sortByValue } from './sort-by-value';

describe('sortByValue', () => {
  const random = seedrandom('sort');
  const shapes: Record<string, (length: number) => number[]> = {
    random: (length) => Array.from({ length }, () => random() * 100 - 50),
    'few distinct values': (length) => Array.from({ length }, () => Math.floor(random() * 3)),
    'all equal': (length) => new Array<number>(length).fill(7),
    ascending: (length) => Array.from({ length }, (_, index) => index),
    descending: (length) => Array.from({ length }, (_, index) => length - index),
    'organ pipe': (length) => Array.from({ length }, (_, index) => Math.min(index, length - index)),
  };

  // Levels 0 and 1: heapsort from the start or after one partition, the fallback quicksort rarely reaches.
  it.each(Object.keys(shapes).flatMap((shape) => [[shape, undefined], [shape, 0], [shape, 1]]))('sorts %s values ascending and carries each row with its value (partition levels %s)', (shape, levels) => {
    for (const length of [0, 1, 2, 15, 17, 100, 5_000]) {
      const values = Float32Array.from(shapes[shape as string](length));
      const original = values.slice();
      const rows = Int32Array.from({ length }, (_, index) => index);
      sortByValue(values, rows, 0, length, levels as number | undefined);
      expect(Array.from(values)).toEqual(Array.from(original).sort((a, b) => a - b));
      expect(Array.from(rows, (row) => original[row])).toEqual(Array.from(values));
      expect(new Set(rows).size).toBe(length);
    }
  });

  it('leaves the elements outside [start, end) where they are', () => {
    const values = Float32Array.from([9, 8, 3, 1, 2, 0, -1]);
    const rows = Int32Array.from([0, 1, 2, 3, 4, 5, 6]);
    sortByValue(values, rows, 2, 5);
    expect(Array.from(values)).toEqual([9, 8, 1, 2, 3, 0, -1]);
    expect(Array.from(rows)).toEqual([0, 1, 3, 4, 2, 5, 6]);
  });
});
