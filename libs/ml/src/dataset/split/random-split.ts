import type { SplitFractions } from '@slipway/contracts';
import seedrandom from 'seedrandom';
import { shuffled } from '../shuffled';
import type { Splits } from './stratified-split';

/**
 * Splits rows at random in the given fractions (for a regression, whose label has no classes to stratify by).
 * Deterministic for the same rows, fractions and seed; rows keep their input order inside each split.
 */
export function randomSplit<T>(rows: readonly T[], fractions: SplitFractions, seed: number): Splits<T> {
  const order = shuffled(
    rows.map((_, index) => index),
    seedrandom(String(seed)),
  );
  const testCount = Math.round(rows.length * fractions.test);
  const validationCount = Math.min(Math.round(rows.length * fractions.validation), rows.length - testCount - 1);
  const pick = (indices: number[]): T[] => indices.sort((a, b) => a - b).map((index) => rows[index]);
  return {
    test: pick(order.slice(0, testCount)),
    validation: pick(order.slice(testCount, testCount + Math.max(validationCount, 0))),
    train: pick(order.slice(testCount + Math.max(validationCount, 0))),
  };
}
