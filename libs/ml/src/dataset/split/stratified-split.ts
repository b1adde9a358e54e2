import type { SplitFractions } from '@slipway/contracts';
import seedrandom from 'seedrandom';
import { shuffled } from '../shuffled';

export interface Splits<T> {
  train: T[];
  validation: T[];
  test: T[];
}

/**
 * Splits rows per class in the given fractions, so every split keeps the class balance of the whole.
 * Deterministic for the same rows, fractions and seed; each class keeps at least one row in train.
 * Rows keep their input order inside each split.
 */
export function stratifiedSplit<T>(
  rows: readonly T[],
  labelOf: (row: T) => string,
  fractions: SplitFractions,
  seed: number,
): Splits<T> {
  const random = seedrandom(String(seed));
  const byClass = new Map<string, number[]>();
  rows.forEach((row, index) => {
    const label = labelOf(row);
    const members = byClass.get(label) ?? [];
    members.push(index);
    byClass.set(label, members);
  });

  const assigned: Record<keyof Splits<T>, number[]> = { train: [], validation: [], test: [] };
  // Sorted class order, so the random stream does not depend on which class happens to come first.
  for (const label of [...byClass.keys()].sort()) {
    const members = shuffled(byClass.get(label) ?? [], random);
    let testCount = Math.round(members.length * fractions.test);
    let validationCount = Math.round(members.length * fractions.validation);
    // Small classes: give rows back to train, taking from validation first.
    while (members.length - testCount - validationCount < 1) {
      if (validationCount > 0) validationCount -= 1;
      else testCount -= 1;
    }
    // One push per row: spreading a large class into push() would overflow the call stack.
    members.forEach((member, position) => {
      const split = position < testCount ? 'test' : position < testCount + validationCount ? 'validation' : 'train';
      assigned[split].push(member);
    });
  }

  const pick = (indices: number[]): T[] => indices.sort((a, b) => a - b).map((index) => rows[index]);
  return { train: pick(assigned.train), validation: pick(assigned.validation), test: pick(assigned.test) };
}
