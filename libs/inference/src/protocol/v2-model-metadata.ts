import type { V2ModelMetadata } from '@slipway/contracts';
import { isLoadedTrained, type LoadedModel } from '../repository/loaded-model';
import { v2OutputMetadata } from './model-outputs';

/** Platform names V2 clients see, Triton's where it has one. */
const V2_PLATFORMS: Record<LoadedModel['format'], string> = { 'slipway-tfjs': 'tensorflowjs', 'slipway-onnx': 'onnxruntime_onnx', onnx: 'onnxruntime_onnx', 'tfjs-layers': 'tensorflowjs', 'tfjs-graph': 'tensorflowjs' };

/**
 * V2 model metadata of a loaded version; `versions` lists every version of the model this replica has loaded.
 * A trained model takes each feature as its own input of shape [-1] (one value per row; requests may also send
 * [N, 1]), so clients send columns by feature name rather than a packed matrix whose column order they would have to
 * know. An imported model takes and gives its own tensors; the class labels of its probability outputs are in
 * `parameters.class_labels`.
 */
export function buildV2ModelMetadata(loaded: LoadedModel, loadedVersions: readonly number[] = [loaded.version]): V2ModelMetadata {
  const common = { name: loaded.name, versions: loadedVersions.map(String), platform: V2_PLATFORMS[loaded.format] };
  if (!isLoadedTrained(loaded)) {
    const { inputs, outputs, classLabels } = loaded.signature;
    const labelled = classLabels !== undefined && Object.keys(classLabels).length > 0;
    return { ...common, inputs, outputs, ...(labelled ? { parameters: { class_labels: classLabels } } : {}) };
  }
  return {
    ...common,
    inputs: loaded.signature.inputs.map((input) => ({ name: input.name, datatype: input.datatype, shape: [-1] })),
    outputs: v2OutputMetadata(loaded.signature),
  };
}
