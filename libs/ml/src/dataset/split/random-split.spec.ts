import { randomSplit } from './random-split';

const rows = Array.from({ length: 200 }, (_, id) => id);
const fractions = { train: 0.7, validation: 0.15, test: 0.15 };

describe('randomSplit', () => {
  it('partitions the rows in the fractions, keeping input order inside each split', () => {
    const { train, validation, test } = randomSplit(rows, fractions, 7);
    expect([train.length, validation.length, test.length]).toEqual([140, 30, 30]);
    expect([...train, ...validation, ...test].sort((a, b) => a - b)).toEqual(rows);
    for (const split of [train, validation, test]) expect(split).toEqual([...split].sort((a, b) => a - b));
  });

  it('is deterministic for the same seed and differs for another', () => {
    expect(randomSplit(rows, fractions, 7)).toEqual(randomSplit(rows, fractions, 7));
    expect(randomSplit(rows, fractions, 8).test).not.toEqual(randomSplit(rows, fractions, 7).test);
  });

  it('keeps at least one row in train', () => {
    const { train } = randomSplit([1, 2], { train: 0.1, validation: 0.4, test: 0.5 }, 1);
    expect(train).toHaveLength(1);
  });
});
