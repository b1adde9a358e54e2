import { onnx } from 'onnx-proto';
import type { DecisionTree, RandomForest } from './forest-model';

const { AttributeType } = onnx.AttributeProto;
const { DataType } = onnx.TensorProto;
const ML_DOMAIN = 'ai.onnx.ml';
const INPUT = 'features';
const INPUT_AS_DOUBLE = 'features_as_double';
const PROBABILITIES = 'probabilities';
const BRANCH_LEQ = Buffer.from('BRANCH_LEQ');
const LEAF = Buffer.from('LEAF');

/**
 * The forest as a serialised ONNX ModelProto (ir 8, opsets '' 17 and ai.onnx.ml 3) that ONNX Runtime answers as
 * {@link predictForest} does: input `features` FP32 `[N, width]`; classification: a `TreeEnsembleClassifier` with
 * outputs `probabilities` FP32 `[N, classes]` and `label` INT64 `[N]` (their argmax, ties to the lower class);
 * regression: a `TreeEnsembleRegressor` with output `value` FP32 `[N, 1]`.
 */
export function forestToOnnx(forest: RandomForest): Uint8Array {
  const classification = forest.task === 'classification';
  const nodes = classification ? [castToDouble(), classifierNode(forest), labelNode()] : [castToDouble(), regressorNode(forest)];
  const description = classification
    ? `Random forest of ${forest.trees.length} trees classifying ${forest.width} encoded features into ${forest.outputs} classes: probabilities are the trees' averaged leaf class distributions, label their argmax (ties to the lower class).`
    : `Random forest of ${forest.trees.length} trees regressing on ${forest.width} encoded features: value is the trees' averaged leaf means.`;
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [
      { domain: '', version: 17 },
      { domain: ML_DOMAIN, version: 3 },
    ],
    producerName: 'slipway',
    docString: description,
    graph: {
      name: 'slipway_random_forest',
      docString: description,
      node: nodes,
      input: [tensorInfo(INPUT, DataType.FLOAT, [forest.width])],
      output: classification ? [tensorInfo('label', DataType.INT64, []), tensorInfo(PROBABILITIES, DataType.FLOAT, [forest.outputs])] : [tensorInfo('value', DataType.FLOAT, [1])],
    },
    metadataProps: [
      { key: 'task', value: forest.task },
      { key: 'trees', value: String(forest.trees.length) },
      { key: 'width', value: String(forest.width) },
      { key: 'outputs', value: String(forest.outputs) },
    ],
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * onnxruntime keeps thresholds and sums leaf votes in the input's type. In float, 300 trees' sum drifted from
 * predictForest's by up to 5e-6; in double it matches. The thresholds are float32 values, so the comparisons are unchanged.
 */
function castToDouble(): onnx.INodeProto {
  return { opType: 'Cast', name: 'features_to_double', input: [INPUT], output: [INPUT_AS_DOUBLE], attribute: [{ name: 'to', type: AttributeType.INT, i: DataType.DOUBLE }] };
}

/** `[N, ...rest]`, N being the batch. */
function tensorInfo(name: string, elemType: onnx.TensorProto.DataType, rest: number[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: [{ dimParam: 'N' }, ...rest.map((dimValue) => ({ dimValue }))] } } } };
}

/** Every node of every tree, numbered as in the tree's arrays; a leaf's feature, value and children are 0. */
function nodeAttributes(forest: RandomForest): onnx.IAttributeProto[] {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const thresholds: number[] = [];
  const modes: Uint8Array[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  forest.trees.forEach((tree, treeId) => {
    for (let node = 0; node < tree.nodeCount; node += 1) {
      const leaf = tree.feature[node] < 0;
      treeIds.push(treeId);
      nodeIds.push(node);
      featureIds.push(leaf ? 0 : tree.feature[node]);
      thresholds.push(leaf ? 0 : tree.threshold[node]);
      modes.push(leaf ? LEAF : BRANCH_LEQ);
      trueIds.push(leaf ? 0 : tree.left[node]);
      falseIds.push(leaf ? 0 : tree.right[node]);
    }
  });
  return [
    ints('nodes_treeids', treeIds),
    ints('nodes_nodeids', nodeIds),
    ints('nodes_featureids', featureIds),
    doubles('nodes_values_as_tensor', thresholds),
    strings('nodes_modes', modes),
    ints('nodes_truenodeids', trueIds),
    ints('nodes_falsenodeids', falseIds),
  ];
}

/** Leaf votes of `weight / trees` per class, so that the summed votes are the averaged distributions. */
function classifierNode(forest: RandomForest): onnx.INodeProto {
  const classes = forest.outputs;
  // With two classes onnxruntime switches to a [1 - p, p] special case when only one class id has votes, and drops a
  // row's second column when none of its leaves voted for class 1: so binary forests vote for both classes at every leaf.
  const keepZeros = classes === 2;
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const classIds: number[] = [];
  const weights: number[] = [];
  forEachLeaf(forest, (tree, treeId, node) => {
    for (let label = 0; label < classes; label += 1) {
      const share = tree.value[node * classes + label];
      if (share === 0 && !keepZeros) continue;
      treeIds.push(treeId);
      nodeIds.push(node);
      classIds.push(label);
      weights.push(share / forest.trees.length);
    }
  });
  return {
    opType: 'TreeEnsembleClassifier',
    domain: ML_DOMAIN,
    name: 'random_forest',
    input: [INPUT_AS_DOUBLE],
    // The ensemble's own label is not the argmax for two classes (it is class 1 whenever class 1 has any vote).
    output: ['ensemble_label', PROBABILITIES],
    attribute: [
      ...nodeAttributes(forest),
      ints('class_treeids', treeIds),
      ints('class_nodeids', nodeIds),
      ints('class_ids', classIds),
      doubles('class_weights_as_tensor', weights),
      ints(
        'classlabels_int64s',
        Array.from({ length: classes }, (_, label) => label),
      ),
      string('post_transform', 'NONE'),
    ],
  };
}

function labelNode(): onnx.INodeProto {
  return {
    opType: 'ArgMax',
    name: 'label_of_probabilities',
    input: [PROBABILITIES],
    output: ['label'],
    attribute: [
      { name: 'axis', type: AttributeType.INT, i: 1 },
      { name: 'keepdims', type: AttributeType.INT, i: 0 },
    ],
  };
}

function regressorNode(forest: RandomForest): onnx.INodeProto {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const values: number[] = [];
  forEachLeaf(forest, (tree, treeId, node) => {
    treeIds.push(treeId);
    nodeIds.push(node);
    values.push(tree.value[node]);
  });
  return {
    opType: 'TreeEnsembleRegressor',
    domain: ML_DOMAIN,
    name: 'random_forest',
    input: [INPUT_AS_DOUBLE],
    output: ['value'],
    attribute: [
      ...nodeAttributes(forest),
      ints('target_treeids', treeIds),
      ints('target_nodeids', nodeIds),
      ints('target_ids', new Array<number>(treeIds.length).fill(0)),
      doubles('target_weights_as_tensor', values),
      // An INT: onnxruntime refuses the model when n_targets is INTS.
      { name: 'n_targets', type: AttributeType.INT, i: 1 },
      string('aggregate_function', 'AVERAGE'),
      string('post_transform', 'NONE'),
    ],
  };
}

function forEachLeaf(forest: RandomForest, visit: (tree: DecisionTree, treeId: number, node: number) => void): void {
  forest.trees.forEach((tree, treeId) => {
    for (let node = 0; node < tree.nodeCount; node += 1) if (tree.feature[node] < 0) visit(tree, treeId, node);
  });
}

const ints = (name: string, values: number[]): onnx.IAttributeProto => ({ name, type: AttributeType.INTS, ints: values });
const doubles = (name: string, values: number[]): onnx.IAttributeProto => ({ name, type: AttributeType.TENSOR, t: { dataType: DataType.DOUBLE, dims: [values.length], doubleData: values } });
const strings = (name: string, values: Uint8Array[]): onnx.IAttributeProto => ({ name, type: AttributeType.STRINGS, strings: values });
const string = (name: string, value: string): onnx.IAttributeProto => ({ name, type: AttributeType.STRING, s: Buffer.from(value) });
