import type { V2Datatype, V2TensorMetadata } from '@slipway/contracts';
import { isLoadedTrained, type LoadedModel } from '../repository/loaded-model';
import { buildV2ModelMetadata } from './v2-model-metadata';

interface TritonTensorConfig {
  name: string;
  data_type: string;
  dims: number[];
}

/** Triton's model configuration as its `GET /v2/models/{m}/config` answers it (JSON of ModelConfig), what `tritonclient`'s `get_model_config` reads. */
export interface TritonModelConfig {
  name: string;
  platform: string;
  max_batch_size: number;
  input: TritonTensorConfig[];
  output: TritonTensorConfig[];
  dynamic_batching?: { max_queue_delay_microseconds: number };
}

/**
 * The configuration a Triton user would write for a loaded version: with a batch dimension (`max_batch_size` > 0)
 * its dims leave the first dimension out, as Triton's do; `dynamic_batching` when this replica joins requests.
 */
export function buildTritonModelConfig(loaded: LoadedModel): TritonModelConfig {
  const { name, platform, inputs, outputs } = buildV2ModelMetadata(loaded);
  const batching = isLoadedTrained(loaded) ? undefined : loaded.dynamicBatching;
  const maxBatchSize = !isLoadedTrained(loaded) && loaded.batched ? (loaded.maxRequestRows ?? batching?.maxBatchSize ?? 0) : 0;
  const tensor = ({ name: tensorName, datatype, shape }: V2TensorMetadata): TritonTensorConfig => ({
    name: tensorName,
    data_type: tritonDataType(datatype),
    dims: maxBatchSize > 0 ? shape.slice(1) : shape,
  });
  return {
    name,
    platform,
    max_batch_size: maxBatchSize,
    input: inputs.map(tensor),
    output: outputs.map(tensor),
    ...(batching ? { dynamic_batching: { max_queue_delay_microseconds: batching.maxQueueDelayUs } } : {}),
  };
}

/** Triton spells every V2 datatype `TYPE_<name>`, except BYTES, which it calls STRING. */
function tritonDataType(datatype: V2Datatype): string {
  return datatype === 'BYTES' ? 'TYPE_STRING' : `TYPE_${datatype}`;
}
