import type { LabelTransform } from '@slipway/contracts';
import { ModelSpecError } from '../errors/model-spec.error';
import { classWeightsFor } from './class-weights';

const label: LabelTransform = { task: 'classification', name: 'grade', classes: ['low', 'mid', 'high'] };
// 6 low, 3 mid, 1 high
const trainLabels = Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 2]);

describe('classWeightsFor', () => {
  it('has no weights when the spec asks for none', () => {
    expect(classWeightsFor(undefined, label, trainLabels)).toBeUndefined();
  });

  it('balances by n / (classes × count) on the train split', () => {
    expect(classWeightsFor('balanced', label, trainLabels)).toEqual({ 0: 10 / 18, 1: 10 / 9, 2: 10 / 3 });
  });

  it('gives a class without train rows weight 1 instead of an infinite one', () => {
    expect(classWeightsFor('balanced', label, Int32Array.from([0, 0, 1, 1]))).toEqual({ 0: 4 / 6, 1: 4 / 6, 2: 1 });
  });

  it('maps explicit weights from class names to indices, 1 for the classes left out', () => {
    expect(classWeightsFor({ high: 5, low: 0.5 }, label, trainLabels)).toEqual({ 0: 0.5, 1: 1, 2: 5 });
  });

  it('refuses a class the label does not have, listing the classes', () => {
    const attempt = () => classWeightsFor({ medium: 2 }, label, trainLabels);
    expect(attempt).toThrow(ModelSpecError);
    expect(attempt).toThrow('modelSpec.classWeight names class "medium", which label "grade" does not have; its classes are "low", "mid", "high"');
    expect(attempt).toThrow(expect.objectContaining({ field: 'classWeight.medium' }));
  });

  it('refuses class weights for a regression label', () => {
    const price: LabelTransform = { task: 'regression', name: 'price', mean: 0, scale: 1, statistics: { count: 1, min: 0, max: 0, mean: 0, std: 0, quantiles: [], missing: 0 } };
    expect(() => classWeightsFor('balanced', price, Float32Array.from([0.1]))).toThrow(expect.objectContaining({ name: 'ModelSpecError', field: 'classWeight' }));
  });
});
