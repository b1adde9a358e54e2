import type { ModelConfig, ModelInput, ModelOutput } from './proto/model_config_pb';
import { DataType } from './proto/model_config_pb';
import { v2DatatypeOf } from './triton-datatypes';
import type { TritonDynamicBatching, TritonModelConfig, TritonTensor } from './triton-model';

/**
 * Takes what Slipway uses from a parsed config.pbtxt of the model folder `folder`, pushing a problem, named by file
 * and field, for whatever Triton would refuse or Slipway cannot serve.
 */
export function readModelConfig(config: ModelConfig, folder: string, problems: string[]): TritonModelConfig {
  const location = `${folder}/config.pbtxt`;
  const report = (problem: string) => problems.push(`${location}: ${problem}`);
  if (config.name !== '' && config.name !== folder) report(`name "${config.name}" must equal the folder name "${folder}"`);
  if (config.maxBatchSize < 0) report(`max_batch_size ${config.maxBatchSize} must be 0 (no batching) or more`);
  const inputs = readTensors(config.input, 'input', report);
  const outputs = readTensors(config.output, 'output', report);
  const dynamicBatching = readDynamicBatching(config, report);
  return { name: folder, maxBatchSize: config.maxBatchSize, inputs, outputs, ...(dynamicBatching && { dynamicBatching }) };
}

function readTensors(tensors: readonly (ModelInput | ModelOutput)[], role: 'input' | 'output', report: (problem: string) => void): TritonTensor[] {
  if (tensors.length === 0) report(`declares no ${role}`);
  const seen = new Set<string>();
  return tensors.flatMap((tensor) => {
    if (seen.has(tensor.name)) report(`${role} "${tensor.name}" is declared more than once`);
    seen.add(tensor.name);
    const read = readTensor(tensor, role, report);
    return read ? [read] : [];
  });
}

function readTensor(tensor: ModelInput | ModelOutput, role: 'input' | 'output', report: (problem: string) => void): TritonTensor | undefined {
  if (tensor.name === '') {
    report(`an ${role} has no name`);
    return undefined;
  }
  const subject = `${role} "${tensor.name}"`;
  const datatype = v2DatatypeOf(tensor.dataType);
  if (tensor.dataType === DataType.TYPE_INVALID) report(`${subject} has no data_type`);
  else if (datatype === undefined) report(`${subject} is ${DataType[tensor.dataType]}, which the Open Inference Protocol served here does not carry`);
  if (tensor.reshape) report(`${subject} has a reshape, which Slipway does not apply; declare the dims the model itself takes`);
  const dims = tensor.dims.map(Number);
  if (dims.length === 0) report(`${subject} has no dims`);
  const badDim = dims.find((dim) => dim === 0 || dim < -1 || !Number.isSafeInteger(dim));
  if (badDim !== undefined) report(`${subject} has dimension ${badDim}; a dimension is a positive size or -1 for a variable one`);
  return datatype && { name: tensor.name, datatype, dims };
}

function readDynamicBatching(config: ModelConfig, report: (problem: string) => void): TritonDynamicBatching | undefined {
  if (config.schedulingChoice.case !== 'dynamicBatching') return undefined;
  const { maxQueueDelayMicroseconds, preferredBatchSize } = config.schedulingChoice.value;
  const tooLarge = preferredBatchSize.find((size) => size > config.maxBatchSize);
  if (tooLarge !== undefined) report(`dynamic_batching preferred_batch_size ${tooLarge} is larger than max_batch_size ${config.maxBatchSize}`);
  return {
    ...(maxQueueDelayMicroseconds > 0n && { maxQueueDelayMicroseconds: Number(maxQueueDelayMicroseconds) }),
    ...(preferredBatchSize.length > 0 && { preferredBatchSizes: [...preferredBatchSize] }),
  };
}
