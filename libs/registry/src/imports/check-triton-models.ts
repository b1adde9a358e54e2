import { modelNameSchema, type TensorBatching } from '@slipway/contracts';
import { ModelFormatError, OnnxModel } from '@slipway/model-runtimes';
import { ModelImportError } from '../errors/model-import.error';
import { TritonRepositoryError } from '../errors/triton-repository.error';
import type { CheckedModel } from './checked-model';
import { withModelFile } from './model-folder';
import { readRuntimeSignature, tensorSignatureOf } from './read-tensor-signature';
import { checkConfigAgainstModel } from './triton/check-config-against-model';
import type { RepositoryFile, TritonModel, TritonModelVersion } from './triton/triton-model';

/**
 * Loads every version of every model of a Triton repository and checks it against its config.pbtxt, as Triton
 * would before serving it. Every problem of every version is collected, so the repository imports whole or not at
 * all and the user sees all of them at once.
 * @param repository names the repository folder in messages.
 * @throws TritonRepositoryError listing every problem
 */
export async function checkTritonModels(repository: string, models: readonly TritonModel[]): Promise<CheckedModel[]> {
  const problems: string[] = [];
  const checked: CheckedModel[] = [];
  for (const model of models) {
    const name = modelNameSchema.safeParse(model.name);
    if (!name.success) {
      problems.push(`${model.name}/: "${model.name}" cannot be a Slipway model name (${name.error.issues[0]?.message}); rename the folder and its config's name`);
      continue;
    }
    for (const version of model.versions) {
      try {
        checked.push(await checkVersion(repository, model, version));
      } catch (error) {
        if (!(error instanceof TritonRepositoryError || error instanceof ModelFormatError || error instanceof ModelImportError)) throw error;
        problems.push(...(error instanceof TritonRepositoryError ? error.problems : [error.message]));
      }
    }
  }
  if (problems.length > 0) throw new TritonRepositoryError(problems);
  return checked;
}

async function checkVersion(repository: string, model: TritonModel, version: TritonModelVersion): Promise<CheckedModel> {
  const location = `${model.name}/${version.version}/${version.modelFile}`;
  const { format } = version;
  const modelFile = version.files.find((file) => file.path === version.modelFile) as RepositoryFile;
  const folder = withModelFile(format, format === 'onnx' ? OnnxModel.FILE : version.modelFile, modelFile, version.files);
  const read = await readRuntimeSignature(format, folder.files, `${repository}/${location}`);
  const served = checkConfigAgainstModel(model, read, location);
  return { modelName: model.name, folder, signature: tensorSignatureOf(read, served.outputs), batching: batchingOf(model), triton: { model: model.name, version: version.version } };
}

function batchingOf({ maxBatchSize, dynamicBatching }: TritonModel): TensorBatching {
  return { maxBatchSize, ...(dynamicBatching ? { dynamic: dynamicBatching } : {}) };
}
