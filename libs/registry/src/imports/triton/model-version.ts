import type { ModelConfig } from './proto/model_config_pb';
import { readTfjsModelJson } from './tfjs-model-json';
import type { ImportedModelFormat } from '@slipway/contracts';
import type { RepositoryFile, TritonModelVersion } from './triton-model';

const TFJS_MODEL_FILE = 'model.json';

/**
 * Reads one version folder (`files` relative to it): an ONNX model (model.onnx, or the config's
 * `default_model_filename`) or a TensorFlow.js model (model.json and the weight files it names). Pushes a problem,
 * named by file, when the folder holds neither, both, or a model the config's platform or backend cannot run.
 */
export function readModelVersion(folder: string, version: number, files: RepositoryFile[], config: ModelConfig, problems: string[]): TritonModelVersion | undefined {
  const location = `${folder}/${version}/`;
  const onnxFile = config.defaultModelFilename || 'model.onnx';
  const onnx = files.find((file) => file.path === onnxFile);
  const modelJson = files.find((file) => file.path === TFJS_MODEL_FILE);
  if (onnx && modelJson) {
    problems.push(`${location}: holds both ${onnxFile} and ${TFJS_MODEL_FILE}; keep one model per version`);
    return undefined;
  }
  if (!onnx && !modelJson) {
    problems.push(`${location}: no ${onnxFile} or ${TFJS_MODEL_FILE}`);
    return undefined;
  }
  // Not both, so a model.json is the version's model.
  const read = modelJson ? readTfjsVersion(location, files, modelJson, problems) : { format: 'onnx' as const, modelFile: onnxFile };
  if (!read) return undefined;
  const runtimeProblem = platformProblem(config, read.format, `${location}${read.modelFile}`);
  if (runtimeProblem) {
    problems.push(`${folder}/config.pbtxt: ${runtimeProblem}`);
    return undefined;
  }
  return { version, ...read, files };
}

function readTfjsVersion(location: string, files: RepositoryFile[], modelJson: RepositoryFile, problems: string[]): { format: ImportedModelFormat; modelFile: string } | undefined {
  const modelLocation = `${location}${TFJS_MODEL_FILE}`;
  const read = readTfjsModelJson(modelJson.bytes, modelLocation, problems);
  if (!read) return undefined;
  const missing = read.weightFiles.filter((path) => !files.some((file) => file.path === path));
  for (const path of missing) problems.push(`${modelLocation}: weight file "${path}" is missing`);
  return missing.length > 0 ? undefined : { format: read.format, modelFile: TFJS_MODEL_FILE };
}

// Triton runs ONNX on its onnxruntime backend; it has no TensorFlow.js backend, so such a config names none.
function platformProblem({ platform, backend }: ModelConfig, format: ImportedModelFormat, modelFile: string): string | undefined {
  const named = [platform && `platform "${platform}"`, backend && `backend "${backend}"`].filter(Boolean).join(' and ');
  if (format === 'onnx') {
    const onnxRuntime = (platform === '' || platform === 'onnxruntime_onnx') && (backend === '' || backend === 'onnxruntime');
    return onnxRuntime ? undefined : `${named} cannot run ${modelFile}, an ONNX model; use platform "onnxruntime_onnx" or backend "onnxruntime"`;
  }
  return named === '' ? undefined : `${named} cannot run ${modelFile}, a TensorFlow.js model; Triton has no backend for it, so leave platform and backend unset`;
}
