import type { V2ModelMetadata } from '@slipway/contracts';
import type { LoadedModel } from '../repository/model-repository';
import { v2OutputMetadata } from './model-outputs';

/** Platform name V2 clients see for every Slipway model. */
const V2_PLATFORM = 'tensorflowjs';

/**
 * V2 model metadata of a loaded version; `versions` lists every version of the model this replica has loaded. Each feature is its own input of shape [-1] (one value per row;
 * requests may also send [N, 1]), so clients send columns by feature name rather than a packed matrix whose
 * column order they would have to know.
 */
export function buildV2ModelMetadata(loaded: LoadedModel, loadedVersions: readonly number[] = [loaded.version]): V2ModelMetadata {
  return {
    name: loaded.name,
    versions: loadedVersions.map(String),
    platform: V2_PLATFORM,
    inputs: loaded.signature.inputs.map((input) => ({ name: input.name, datatype: input.datatype, shape: [-1] })),
    outputs: v2OutputMetadata(loaded.signature),
  };
}
