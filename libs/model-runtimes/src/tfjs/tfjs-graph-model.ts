import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ModelFormatError } from '../errors/model-format.error';
import type { TensorSpec } from '../tensor-inputs';
import type { HostTensor, ModelFiles } from '../tensor-model';
import { TensorSpecModel } from '../tensor-spec-model';
import { readTfjsModelJson } from './tfjs-model-json';
import { readOutputs, tfjsTensor, tfjsTensorSpec } from './tfjs-tensors';

// A SavedModel signature's TensorInfo as model.json holds it (protobuf JSON: int64 sizes as strings, defaults left out).
const tensorInfoSchema = z.object({
  name: z.string(),
  dtype: z.string(),
  tensorShape: z
    .object({ dim: z.array(z.object({ size: z.union([z.string(), z.number()]).optional() })).optional(), unknownRank: z.boolean().optional() })
    .optional(),
});
const signatureSchema = z.object({ inputs: z.record(z.string(), tensorInfoSchema), outputs: z.record(z.string(), tensorInfoSchema) });

/**
 * The ops tfjs 4.22 computes only in `executeAsync` (tfjs-converter's op lists of the control, dynamic and hash_table
 * categories): `execute` refuses a graph that holds one, and `executeAsync` warns on every call for a graph that holds none.
 */
const ASYNC_OPS = new Set([
  ...['If', 'StatelessIf', 'While', 'StatelessWhile', 'LoopCond', 'Switch', 'Merge', 'Enter', 'Exit', 'NextIteration'],
  ...['TensorArrayV3', 'TensorArrayWriteV3', 'TensorArrayReadV3', 'TensorArrayGatherV3', 'TensorArrayScatterV3', 'TensorArrayConcatV3'],
  ...['TensorArraySplitV3', 'TensorArraySizeV3', 'TensorArrayCloseV3', 'EmptyTensorList', 'TensorListScatter', 'TensorListScatterV2'],
  ...['TensorListGather', 'TensorListGetItem', 'TensorListSetItem', 'TensorListReserve', 'TensorListFromTensor', 'TensorListStack'],
  ...['TensorListSplit', 'TensorListConcat', 'TensorListConcatV2', 'TensorListPopBack', 'TensorListPushBack', 'TensorListLength', 'TensorListResize'],
  ...['NonMaxSuppressionV2', 'NonMaxSuppressionV3', 'NonMaxSuppressionV4', 'NonMaxSuppressionV5', 'Where', 'ListDiff'],
  ...['HashTable', 'HashTableV2', 'InitializeTable', 'InitializeTableV2', 'LookupTableImport', 'LookupTableImportV2'],
  ...['LookupTableFind', 'LookupTableFindV2', 'LookupTableSize', 'LookupTableSizeV2'],
]);

/**
 * A TensorFlow.js Graph model (what `tensorflowjs_converter` writes from a TensorFlow SavedModel) answering Open
 * Inference Protocol tensors: inputs and outputs are its serving signature's, by the names the signature gives them
 * (`features`, `probabilities`) rather than the graph's own (`features:0`, `Identity_1:0`), with their shapes (-1 for
 * a dynamic dimension).
 */
export class TfjsGraphModel extends TensorSpecModel {
  readonly classLabels = {};

  private constructor(
    private readonly model: tf.GraphModel,
    inputs: readonly TensorSpec[],
    outputs: readonly TensorSpec[],
    /** Whether the graph holds an op tfjs computes only asynchronously. */
    private readonly async: boolean,
  ) {
    super(inputs, outputs);
  }

  /**
   * @param description names the model in errors (a folder, say).
   * @throws ModelFormatError when `model.json` is missing, not a Graph model, has no signature, names a shard that is
   *   not there, or does not load; or an input or output has a datatype the V2 protocol served here does not carry.
   */
  static async load(files: ModelFiles, description: string): Promise<TfjsGraphModel> {
    const { manifest, weightSpecs, weightData } = readTfjsModelJson(files, description, 'graph-model');
    let model: tf.GraphModel;
    try {
      model = await tf.loadGraphModel(tf.io.fromMemory(tf.io.getModelArtifactsForJSONSync(manifest, weightSpecs, weightData)));
    } catch (error) {
      throw new ModelFormatError(`${description}: model.json does not load as a TensorFlow.js Graph model: ${(error as Error).message}`, { cause: error });
    }
    try {
      const { inputs, outputs } = signatureOf(model, description);
      return new TfjsGraphModel(model, inputs, outputs, opsOf(manifest.modelTopology).some((op) => ASYNC_OPS.has(op)));
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  async run(inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    // tfjs maps the signature's names to the graph's own tensors, both for inputs and for the outputs asked for.
    const feeds: tf.NamedTensorMap = Object.fromEntries(inputs.map((input) => [input.name, tfjsTensor(input)]));
    const names = this.outputs.map(({ metadata }) => metadata.name);
    let results: tf.Tensor | tf.Tensor[];
    try {
      results = this.async ? await this.model.executeAsync(feeds, names) : this.model.execute(feeds, names);
    } finally {
      tf.dispose(Object.values(feeds));
    }
    // tfjs answers a lone output as a tensor, not an array of one.
    return readOutputs(this.outputs, Array.isArray(results) ? results : [results]);
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * The model's inputs and outputs from the signature tfjs loaded (model.json's, or its user metadata's), each in name
 * order: a SavedModel signature's tensors are protobuf maps, which the converter writes in no fixed order.
 */
function signatureOf(model: tf.GraphModel, description: string): { inputs: TensorSpec[]; outputs: TensorSpec[] } {
  const parsed = signatureSchema.safeParse(model.modelSignature);
  if (!parsed.success) {
    throw new ModelFormatError(
      `${description}: model.json has no signature naming the model's inputs and outputs (convert a SavedModel with --signature_name): ${z.prettifyError(parsed.error)}`,
    );
  }
  const specs = (role: 'input' | 'output', tensors: Record<string, z.infer<typeof tensorInfoSchema>>) =>
    Object.entries(tensors)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, { dtype, tensorShape }]) => tfjsTensorSpec(description, role, name, dtype, dimsOf(tensorShape)));
  return { inputs: specs('input', parsed.data.inputs), outputs: specs('output', parsed.data.outputs) };
}

/** A TensorShapeProto's dimensions (null: any size); undefined for an unknown rank. No `dim` at all is a scalar. */
function dimsOf(shape: z.infer<typeof tensorInfoSchema>['tensorShape']): (number | null)[] | undefined {
  if (shape?.unknownRank) return undefined;
  return (shape?.dim ?? []).map(({ size = 0 }) => (Number(size) < 0 ? null : Number(size)));
}

/** Every op of a GraphDef, its functions' included (where a converted while loop or conditional keeps its body). */
function opsOf(topology: unknown): string[] {
  const { node = [], library = {} } = topology as { node?: { op: string }[]; library?: { function?: { nodeDef?: { op: string }[] }[] } };
  return [...node, ...(library.function ?? []).flatMap((fn) => fn.nodeDef ?? [])].map(({ op }) => op);
}
