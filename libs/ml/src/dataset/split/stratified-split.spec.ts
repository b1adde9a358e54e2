import { stratifiedSplit } from './stratified-split';

interface Row {
  id: number;
  label: string;
}

// 60 a, 30 b, 10 c: unbalanced on purpose.
const rows: Row[] = Array.from({ length: 100 }, (_, id) => ({ id, label: id % 10 === 0 ? 'c' : id % 3 === 0 ? 'b' : 'a' }));
const fractions = { train: 0.6, validation: 0.2, test: 0.2 };
const labelOf = (row: Row) => row.label;
const ids = (split: Row[]) => split.map((row) => row.id);
const share = (split: Row[], label: string) => split.filter((row) => row.label === label).length / split.length;

describe('stratifiedSplit', () => {
  it('partitions the rows: every row in exactly one split', () => {
    const { train, validation, test } = stratifiedSplit(rows, labelOf, fractions, 7);
    const all = [...ids(train), ...ids(validation), ...ids(test)].sort((a, b) => a - b);
    expect(all).toEqual(ids(rows));
  });

  it('is deterministic for the same seed and differs for another', () => {
    const first = stratifiedSplit(rows, labelOf, fractions, 7);
    expect(stratifiedSplit(rows, labelOf, fractions, 7)).toEqual(first);
    expect(ids(stratifiedSplit(rows, labelOf, fractions, 8).test)).not.toEqual(ids(first.test));
  });

  it('keeps each class near its overall share in every split', () => {
    const splits = stratifiedSplit(rows, labelOf, fractions, 7);
    for (const split of [splits.train, splits.validation, splits.test]) {
      for (const label of ['a', 'b', 'c']) {
        expect(Math.abs(share(split, label) - share(rows, label))).toBeLessThan(0.06);
      }
    }
    expect(splits.test.length / rows.length).toBeCloseTo(fractions.test, 1);
  });

  it('keeps at least one row of every class in train, even for tiny classes', () => {
    const tiny: Row[] = [...rows.slice(0, 20), { id: 500, label: 'rare' }, { id: 501, label: 'rare' }];
    const { train } = stratifiedSplit(tiny, labelOf, { train: 0.2, validation: 0.4, test: 0.4 }, 3);
    expect(new Set(train.map(labelOf))).toEqual(new Set(tiny.map(labelOf)));
  });

  it('leaves validation empty when its fraction is 0', () => {
    const { validation, train } = stratifiedSplit(rows, labelOf, { train: 0.8, validation: 0, test: 0.2 }, 1);
    expect(validation).toEqual([]);
    expect(train.length).toBeGreaterThan(70);
  });

  it('keeps input order inside each split', () => {
    const { train } = stratifiedSplit(rows, labelOf, fractions, 7);
    expect(ids(train)).toEqual([...ids(train)].sort((a, b) => a - b));
  });

  it('splits classes of hundreds of thousands of rows', () => {
    const many = Array.from({ length: 400_000 }, (_, id) => ({ id, label: id % 4 === 0 ? 'x' : 'y' }));
    const { train, validation, test } = stratifiedSplit(many, labelOf, fractions, 7);
    expect([train.length, validation.length, test.length]).toEqual([240_000, 80_000, 80_000]);
  });
});
