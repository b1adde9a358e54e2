import type * as tf from '@tensorflow/tfjs';

/**
 * A model.json written from Keras 3 in the form @tensorflow/tfjs 4.22 reads, which is Keras 2's: an InputLayer's
 * `batch_shape` is its `batch_input_shape`, a `DTypePolicy` object is its dtype's name, and weights are named by
 * layer (`hidden/kernel`), not under the model's name (`sequential/hidden/kernel`). Keras 2 files pass unchanged.
 */
export function asKeras2(topology: unknown, weightSpecs: readonly tf.io.WeightsManifestEntry[]): { topology: unknown; weightSpecs: tf.io.WeightsManifestEntry[] } {
  const keras = (topology as { keras_version?: unknown } | null)?.keras_version;
  if (typeof keras !== 'string' || !keras.startsWith('3.')) return { topology, weightSpecs: [...weightSpecs] };
  const modelName = (topology as { model_config?: { config?: { name?: unknown } } }).model_config?.config?.name;
  const prefix = typeof modelName === 'string' ? `${modelName}/` : undefined;
  return {
    topology: keras2Config(topology),
    weightSpecs: weightSpecs.map((spec) => (prefix !== undefined && spec.name.startsWith(prefix) ? { ...spec, name: spec.name.slice(prefix.length) } : spec)),
  };
}

function keras2Config(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(keras2Config);
  if (node === null || typeof node !== 'object') return node;
  const object = node as Record<string, unknown>;
  if (object['class_name'] === 'DTypePolicy' && object['module'] === 'keras') return (object['config'] as { name?: unknown } | undefined)?.name;
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key === 'batch_shape' ? 'batch_input_shape' : key, keras2Config(value)]));
}
