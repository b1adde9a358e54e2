import type { ImportedModelFormat } from '@slipway/contracts';
import { OnnxModel } from '@slipway/model-runtimes';
import { ModelImportError } from '../errors/model-import.error';
import type { RepositoryFile } from './triton/triton-model';
import { readTfjsModelJson } from './triton/tfjs-model-json';
import type { UploadedRoot } from './uploaded-root';

/** One model's files as they are stored and loaded: paths relative to its folder, the model file as its runtime names it. */
export interface ModelFolder {
  format: ImportedModelFormat;
  /** `model.onnx` or `model.json`. */
  modelFile: string;
  files: Map<string, Uint8Array>;
}

const MODEL_JSON = 'model.json';
const ONNX_FILE = /\.onnx$/i;

/**
 * Reads an uploaded file or folder as one model: the given format, or the one its files show (a `.onnx` file; a
 * model.json's `format`, layers or graph). An ONNX model under another name (`iris.onnx`) is stored as model.onnx, the name
 * onnxruntime's external data and serving expect; other files keep their paths.
 * @throws ModelImportError naming the file when the format cannot be told, or the model file is missing or ambiguous
 */
export function modelFolderOf(upload: UploadedRoot, format: ImportedModelFormat | undefined): ModelFolder {
  const where = upload.single ? `"${upload.name}"` : `folder "${upload.name}"`;
  const topLevel = upload.files.filter((file) => !file.path.includes('/'));
  const modelJson = topLevel.find((file) => (upload.single ? file.path.toLowerCase().endsWith('.json') : file.path === MODEL_JSON));
  const onnxFiles = topLevel.filter((file) => ONNX_FILE.test(file.path));
  const chosen = format ?? detectFormat(upload, where, modelJson, onnxFiles);
  if (chosen === 'onnx') {
    const model = upload.single ? upload.files[0] : (onnxFiles.find((file) => file.path === OnnxModel.FILE) ?? onlyOnnxFile(where, onnxFiles));
    return withModelFile('onnx', OnnxModel.FILE, model as RepositoryFile, upload.files);
  }
  if (!modelJson) throw new ModelImportError(`${where} has no ${MODEL_JSON}, which a TensorFlow.js model needs`);
  return withModelFile(chosen, MODEL_JSON, modelJson, upload.files);
}

/** The model's files with its model file renamed to what the runtime expects. */
export function withModelFile(format: ImportedModelFormat, modelFile: string, model: RepositoryFile, files: readonly RepositoryFile[]): ModelFolder {
  const renamed = files.map((file): [string, Uint8Array] => [file === model ? modelFile : file.path, file.bytes]);
  return { format, modelFile, files: new Map(renamed) };
}

function detectFormat(upload: UploadedRoot, where: string, modelJson: RepositoryFile | undefined, onnxFiles: readonly RepositoryFile[]): ImportedModelFormat {
  if (modelJson && onnxFiles.length > 0) throw new ModelImportError(`${where} holds both an ONNX model and ${MODEL_JSON}; keep one model, or send format`);
  if (onnxFiles.length > 0) return 'onnx';
  if (modelJson) return tfjsFormat(upload.single ? upload.name : `${upload.name}/${MODEL_JSON}`, modelJson);
  throw new ModelImportError(`cannot tell the format of ${where}: it has no .onnx file and no ${MODEL_JSON}; send format (onnx, tfjs-layers or tfjs-graph)`);
}

function onlyOnnxFile(where: string, onnxFiles: readonly RepositoryFile[]): RepositoryFile {
  if (onnxFiles.length === 1) return onnxFiles[0] as RepositoryFile;
  throw new ModelImportError(`${where} has no ${OnnxModel.FILE} and ${onnxFiles.length} other .onnx files (${onnxFiles.map((file) => file.path).join(', ')}); name the model ${OnnxModel.FILE}`);
}

function tfjsFormat(location: string, modelJson: RepositoryFile): ImportedModelFormat {
  const problems: string[] = [];
  const read = readTfjsModelJson(modelJson.bytes, location, problems);
  if (!read) throw new ModelImportError(problems.join('; '));
  return read.format;
}
