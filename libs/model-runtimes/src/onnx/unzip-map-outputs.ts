import { onnx } from 'onnx-proto';

/** A model whose ZipMap outputs became plain tensors, and the class labels each of those outputs is indexed by. */
export interface UnzippedModel {
  bytes: Uint8Array;
  classLabels: Record<string, string[] | number[]>;
}

/**
 * scikit-learn's ONNX exporters end a classifier with ZipMap by default: its probabilities become a sequence of
 * {class: probability} maps, a value onnxruntime-node cannot return. This rewrites each graph output a ZipMap writes
 * into the `[N, classes]` float tensor the ZipMap read (under the output's own name, through an Identity node), and
 * keeps the class labels the ZipMap carried. Undefined when no graph output comes from a ZipMap, or the bytes do not
 * decode as a model (onnxruntime then says what is wrong with them).
 */
export function unzipMapOutputs(bytes: Uint8Array): UnzippedModel | undefined {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch {
    return undefined;
  }
  const graph = model.graph;
  if (!graph) return undefined;
  const nodes = graph.node ?? [];
  const outputs = graph.output ?? [];
  const outputNames = new Set(outputs.map((output) => output.name));
  const zipMaps = nodes.filter((node) => node.opType === 'ZipMap' && node.domain === 'ai.onnx.ml' && outputNames.has(node.output?.[0]));
  if (zipMaps.length === 0) return undefined;

  const classLabels: UnzippedModel['classLabels'] = {};
  for (const zipMap of zipMaps) {
    const [probabilities = ''] = zipMap.input ?? [];
    const [output = ''] = zipMap.output ?? [];
    const labels = classLabelsOf(zipMap);
    classLabels[output] = labels;
    nodes.splice(nodes.indexOf(zipMap), 1, onnx.NodeProto.create({ opType: 'Identity', input: [probabilities], output: [output], name: `${zipMap.name || output}_unzipped` }));
    outputs[outputs.findIndex((candidate) => candidate.name === output)] = onnx.ValueInfoProto.create({
      name: output,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: { dim: [{ dimParam: 'N' }, { dimValue: labels.length }] },
        },
      },
    });
  }
  graph.node = nodes;
  graph.output = outputs;
  return { bytes: onnx.ModelProto.encode(model).finish(), classLabels };
}

function classLabelsOf(zipMap: onnx.INodeProto): string[] | number[] {
  const attribute = (name: string) => zipMap.attribute?.find((candidate) => candidate.name === name);
  const strings = attribute('classlabels_strings')?.strings;
  if (strings && strings.length > 0) return strings.map((label) => Buffer.from(label).toString('utf8'));
  return (attribute('classlabels_int64s')?.ints ?? []).map(Number);
}
