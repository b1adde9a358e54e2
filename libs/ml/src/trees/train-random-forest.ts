import seedrandom from 'seedrandom';
import type { DecisionTree, ForestOptions, ForestTrainingSet, RandomForest } from './forest-model';
import { GiniCriterion } from './gini-criterion';
import { fillSampleWeights } from './sample-weights';
import type { FeatureColumns } from './split-finder';
import { SquaredErrorCriterion } from './squared-error-criterion';
import { TreeGrower } from './tree-grower';
import { resolveGrowthLimits, validateTrainingSet } from './validate-forest-input';

/**
 * Trains a Breiman random forest with scikit-learn's RandomForestClassifier / RandomForestRegressor semantics: CART
 * trees on Gini or squared error, features drawn at every split, bootstrap as sample weights, probability averaging.
 * `onTree` hears of each tree as it is grown (progress, cancellation by throwing). Throws a RangeError on invalid input.
 */
export function trainRandomForest(set: ForestTrainingSet, options: ForestOptions, onTree?: (tree: DecisionTree, index: number) => void): RandomForest {
  const outputs = validateTrainingSet(set);
  const limits = resolveGrowthLimits(options, set);
  const weights = new Float64Array(set.rows);
  const criterion =
    set.task === 'classification' ? new GiniCriterion(Int32Array.from(set.labels), weights, outputs) : new SquaredErrorCriterion(Float64Array.from(set.labels), weights);
  const grower = new TreeGrower(columnsOf(set), weights, criterion, limits);
  const rowWeights = set.classWeights && Float64Array.from(set.labels, (label) => set.classWeights?.[label] ?? 1);

  const trees: DecisionTree[] = [];
  for (let index = 0; index < options.trees; index += 1) {
    const generator = seedrandom(`${options.seed}:${index}`);
    const random = () => generator.quick();
    fillSampleWeights(weights, rowWeights, options.bootstrap ?? true, random);
    const tree = grower.grow(random);
    onTree?.(tree, index);
    trees.push(tree);
  }
  return { task: set.task, width: set.width, outputs, trees };
}

function columnsOf({ features, rows, width }: ForestTrainingSet): FeatureColumns {
  const columns = new Float32Array(rows * width);
  for (let row = 0; row < rows; row += 1) for (let feature = 0; feature < width; feature += 1) columns[feature * rows + row] = features[row * width + feature];
  return { columns, rows, width };
}
