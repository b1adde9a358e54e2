export type { DecisionTree, ForestOptions, ForestTask, ForestTrainingSet, MaxFeatures, RandomForest } from './forest-model';
export { trainRandomForest } from './train-random-forest';
export { addTreePredictions, predictForest } from './predict-forest';
export { forestToOnnx } from './forest-onnx';
