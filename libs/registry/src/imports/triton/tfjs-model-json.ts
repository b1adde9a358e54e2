import { z } from 'zod';
import type { ImportedModelFormat } from '@slipway/contracts';
import { readUtf8 } from './utf8-text';

// Only the fields that tell the two kinds of TensorFlow.js model apart and name the weight files; the rest passes.
const modelJsonSchema = z.object({
  format: z.string().optional(),
  modelTopology: z.record(z.string(), z.unknown()).optional(),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()) })).optional(),
});

const FORMAT_OF: Record<string, ImportedModelFormat> = { 'layers-model': 'tfjs-layers', 'graph-model': 'tfjs-graph' };

/**
 * The kind of TensorFlow.js model a model.json holds and the weight files it names (relative to its folder).
 * tensorflowjs_converter writes `format`; a model.json without it (older converters, or `tf.LayersModel.save`) is a
 * layers model when its topology is a Keras model config (`model_config`, or `class_name` at the top) and a graph
 * model when its topology is a GraphDef (`node`). Pushes the problem and answers undefined when it is neither.
 */
export function readTfjsModelJson(bytes: Uint8Array, location: string, problems: string[]): { format: ImportedModelFormat; weightFiles: string[] } | undefined {
  const text = readUtf8(bytes, location, problems);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    problems.push(`${location}: is not JSON: ${(error as Error).message}`);
    return undefined;
  }
  const parsed = modelJsonSchema.safeParse(json);
  if (!parsed.success) {
    problems.push(`${location}: is not a TensorFlow.js model.json: ${z.prettifyError(parsed.error)}`);
    return undefined;
  }
  const { format, modelTopology = {}, weightsManifest = [] } = parsed.data;
  const known = format === undefined ? formatOfTopology(modelTopology) : FORMAT_OF[format];
  if (!known) {
    problems.push(
      format === undefined
        ? `${location}: has no "format", and its modelTopology is neither a Keras model config (model_config, class_name) nor a graph (node)`
        : `${location}: format "${format}" is neither "layers-model" nor "graph-model"`,
    );
    return undefined;
  }
  return { format: known, weightFiles: weightsManifest.flatMap((group) => group.paths) };
}

function formatOfTopology(topology: Record<string, unknown>): ImportedModelFormat | undefined {
  if ('model_config' in topology || 'class_name' in topology) return 'tfjs-layers';
  if ('node' in topology) return 'tfjs-graph';
  return undefined;
}
