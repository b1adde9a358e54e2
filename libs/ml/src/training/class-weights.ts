import type { ClassWeight, LabelTransform } from '@slipway/contracts';
import { ModelSpecError } from '../errors/model-spec.error';

/** tfjs's `classWeight` for model.fit: the weight of each class index in the loss. */
export type ClassWeightByIndex = Record<number, number>;

/**
 * The spec's class weights by class index. `balanced` weighs class c by n / (classes × count_c) on the train split
 * (scikit-learn's formula); a class with no train rows keeps weight 1, as no row ever asks for it. Explicit weights
 * name classes; the classes they leave out weigh 1.
 * @throws ModelSpecError for class weights on a regression label, or a class name the label does not have.
 */
export function classWeightsFor(classWeight: ClassWeight | undefined, label: LabelTransform, trainLabels: Int32Array | Float32Array): ClassWeightByIndex | undefined {
  if (classWeight === undefined) return undefined;
  if (label.task !== 'classification') {
    throw new ModelSpecError(`modelSpec.classWeight weighs classes, but label "${label.name}" is a regression label: remove classWeight`, 'classWeight');
  }
  const { classes } = label;
  if (classWeight === 'balanced') {
    const counts = new Array<number>(classes.length).fill(0);
    for (const classIndex of trainLabels) counts[classIndex] += 1;
    return Object.fromEntries(counts.map((count, index) => [index, count === 0 ? 1 : trainLabels.length / (classes.length * count)]));
  }
  const unknown = Object.keys(classWeight).find((name) => !classes.includes(name));
  if (unknown !== undefined) {
    throw new ModelSpecError(
      `modelSpec.classWeight names class "${unknown}", which label "${label.name}" does not have; its classes are ${classes.map((name) => `"${name}"`).join(', ')}`,
      `classWeight.${unknown}`,
    );
  }
  return Object.fromEntries(classes.map((name, index) => [index, Object.hasOwn(classWeight, name) ? classWeight[name] : 1]));
}
