import type { ImportedModelFormat } from '@slipway/contracts';
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ModelFormatError } from '../errors/model-format.error';
import type { ModelFiles } from '../tensor-model';

/** The `format` tensorflowjs_converter writes in model.json, and the format Slipway imports a model of each as. */
const IMPORTED_FORMAT_OF = { 'layers-model': 'tfjs-layers', 'graph-model': 'tfjs-graph' } as const satisfies Record<string, ImportedModelFormat>;

export type TfjsModelJsonFormat = keyof typeof IMPORTED_FORMAT_OF;

// Only what the runtimes read themselves; the rest (a graph's signature, user metadata, initializer) passes to tfjs.
const modelJsonSchema = z.looseObject({
  format: z.string().optional(),
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z
    .array(z.object({ paths: z.array(z.string()), weights: z.array(z.looseObject({ name: z.string(), shape: z.array(z.number()), dtype: z.string() })) }))
    .default([]),
});

export interface TfjsModelJson {
  manifest: tf.io.ModelJSON;
  /** Every weight of every group, in the order of the groups' shards. */
  weightSpecs: tf.io.WeightsManifestEntry[];
  /** The shards' bytes end to end, as `weightSpecs` describes them. */
  weightData: ArrayBuffer;
}

/**
 * A TensorFlow.js model's model.json of the format a runtime reads, and the weight shards it names, from the model's files.
 * @param description names the model in errors (a folder, say).
 * @throws ModelFormatError when model.json is missing, not JSON, not a TensorFlow.js model.json, of another format, or
 *   names a shard that is not there.
 */
export function readTfjsModelJson(files: ModelFiles, description: string, format: TfjsModelJsonFormat): TfjsModelJson {
  const bytes = files.get('model.json');
  if (bytes === undefined) throw new ModelFormatError(`${description} has no model.json`);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new ModelFormatError(`${description}: model.json is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = modelJsonSchema.safeParse(json);
  if (!parsed.success) throw new ModelFormatError(`${description}: model.json is not a TensorFlow.js model.json: ${z.prettifyError(parsed.error)}`);
  const manifest = parsed.data;
  if (manifest.format !== format) throw new ModelFormatError(`${description}: ${formatMismatch(manifest.format, format)}`);
  const shards = manifest.weightsManifest.flatMap((group) => group.paths).map((path) => {
    const shard = files.get(path);
    if (shard === undefined) throw new ModelFormatError(`${description}: model.json names weight shard "${path}", which is not there`);
    return shard;
  });
  const weightData = new Uint8Array(shards.reduce((sum, shard) => sum + shard.byteLength, 0));
  let offset = 0;
  for (const shard of shards) {
    weightData.set(shard, offset);
    offset += shard.byteLength;
  }
  return {
    manifest: manifest as tf.io.ModelJSON,
    weightSpecs: manifest.weightsManifest.flatMap((group) => group.weights) as tf.io.WeightsManifestEntry[],
    weightData: weightData.buffer,
  };
}

function formatMismatch(found: string | undefined, wanted: TfjsModelJsonFormat): string {
  if (found === undefined) return `model.json has no "format"; a TensorFlow.js ${IMPORTED_FORMAT_OF[wanted]} model's is "${wanted}"`;
  const other = Object.hasOwn(IMPORTED_FORMAT_OF, found) ? `: import it as "${IMPORTED_FORMAT_OF[found as TfjsModelJsonFormat]}"` : '';
  return `model.json is "${found}", not a TensorFlow.js "${wanted}"${other}`;
}
