import type { ForestOptions, ForestTrainingSet } from './forest-model';
import type { GrowthLimits } from './tree-grower';

const isCount = (value: number, least: number) => Number.isInteger(value) && value >= least;

/** Checks the training set and returns its number of outputs per node (the class count, or 1); throws a RangeError naming what is wrong. */
export function validateTrainingSet(set: ForestTrainingSet): number {
  const { features, rows, width, labels, task } = set;
  if (!isCount(rows, 1)) throw new RangeError(`a forest needs at least one row, got rows = ${rows}`);
  if (!isCount(width, 1)) throw new RangeError(`a forest needs at least one feature, got width = ${width}`);
  if (features.length !== rows * width) throw new RangeError(`features has ${features.length} values, expected rows × width = ${rows} × ${width} = ${rows * width}`);
  if (labels.length !== rows) throw new RangeError(`labels has ${labels.length} values, expected one per row (${rows})`);
  for (let index = 0; index < features.length; index += 1) {
    if (!Number.isFinite(features[index])) {
      throw new RangeError(`feature at row ${Math.floor(index / width)}, column ${index % width} is ${features[index]}: impute before training a forest`);
    }
  }
  if (task === 'regression') {
    if (set.classCount !== undefined || set.classWeights !== undefined) throw new RangeError('classCount and classWeights apply to classification only');
    const row = labels.findIndex((label) => !Number.isFinite(label));
    if (row >= 0) throw new RangeError(`label of row ${row} is ${labels[row]}: a regression label must be finite`);
    return 1;
  }
  return validateClasses(set);
}

function validateClasses({ labels, classCount: given, classWeights }: ForestTrainingSet): number {
  if (given !== undefined && !isCount(given, 2)) throw new RangeError(`classCount must be an integer of at least 2, got ${given}`);
  const outside = (label: number) => !Number.isInteger(label) || label < 0 || (given !== undefined && label >= given);
  const row = labels.findIndex(outside);
  if (row >= 0) throw new RangeError(`label of row ${row} is ${labels[row]}, outside the class indices 0..${given === undefined ? 'n' : given - 1}`);
  let largest = 0;
  for (const label of labels) largest = Math.max(largest, label);
  const classCount = given ?? Math.max(2, largest + 1);
  if (classWeights !== undefined) {
    if (classWeights.length !== classCount) throw new RangeError(`classWeights has ${classWeights.length} values, expected one per class (${classCount})`);
    for (let label = 0; label < classCount; label += 1) {
      const weight = classWeights[label];
      if (!(Number.isFinite(weight) && weight > 0)) throw new RangeError(`class weight of class ${label} is ${weight}: class weights must be positive and finite`);
    }
  }
  return classCount;
}

/** Checks the options and resolves them against the set's width: features per split as a count, depth as a number. */
export function resolveGrowthLimits(options: ForestOptions, set: ForestTrainingSet): GrowthLimits {
  const { trees, minSamplesLeaf = 1, maxDepth, seed } = options;
  if (!isCount(trees, 1)) throw new RangeError(`a forest needs at least one tree, got trees = ${trees}`);
  if (!isCount(minSamplesLeaf, 1)) throw new RangeError(`minSamplesLeaf must be an integer of at least 1, got ${minSamplesLeaf}`);
  if (maxDepth !== undefined && !isCount(maxDepth, 1)) throw new RangeError(`maxDepth must be an integer of at least 1, got ${maxDepth}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  return { maxFeatures: featuresPerSplit(options, set), minSamplesLeaf, maxDepth: maxDepth ?? Infinity };
}

function featuresPerSplit({ maxFeatures }: ForestOptions, { task, width }: ForestTrainingSet): number {
  const chosen = maxFeatures ?? (task === 'classification' ? 'sqrt' : 'all');
  if (chosen === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(width)));
  if (chosen === 'all') return width;
  if (!(typeof chosen === 'number' && chosen > 0 && chosen <= 1)) throw new RangeError(`maxFeatures must be 'sqrt', 'all' or a fraction in (0, 1], got ${String(chosen)}`);
  return Math.max(1, Math.floor(chosen * width));
}
