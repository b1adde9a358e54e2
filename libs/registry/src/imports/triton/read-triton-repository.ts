import { uploadPathSegments } from '@slipway/contracts';
import { TritonRepositoryError } from '../../errors/triton-repository.error';
import { readModelConfig } from './model-config';
import { parseModelConfigText } from './model-config-text';
import { readModelVersion } from './model-version';
import type { RepositoryFile, TritonModel } from './triton-model';
import { readUtf8 } from './utf8-text';

// Triton's rule: a version folder is named by a positive integer; other names, and those starting with 0, are ignored.
const VERSION_FOLDER = /^[1-9][0-9]*$/;

/**
 * Reads a Triton model repository (`<model>/config.pbtxt`, `<model>/<version>/<files>`) from the uploaded files,
 * paths relative to its root. Files at the top, in a model folder (label files) and in non-numeric sub-folders are
 * ignored, as Triton ignores them; every numeric sub-folder becomes a version, whatever `version_policy` says.
 * @throws TritonRepositoryError listing every problem of every model, so a repository imports whole or not at all.
 */
export function readTritonRepository(files: readonly RepositoryFile[]): TritonModel[] {
  const problems: string[] = [];
  for (const { path } of files) {
    if (!uploadPathSegments(path)) problems.push(`"${path}": is not a '/'-separated path inside the repository`);
  }
  const models = [...groupByFolder(files)].flatMap(([folder, modelFiles]) => {
    const model = readModel(folder, modelFiles, problems);
    return model ? [model] : [];
  });
  if (models.length === 0 && problems.length === 0) problems.push('no model folder with a config.pbtxt (<model>/config.pbtxt) in the repository');
  if (problems.length > 0) throw new TritonRepositoryError(problems);
  return models;
}

function readModel(folder: string, files: RepositoryFile[], problems: string[]): TritonModel | undefined {
  const configFile = files.find((file) => file.path === 'config.pbtxt');
  if (!configFile) {
    problems.push(`${folder}/: no config.pbtxt (Slipway does not auto-complete a configuration)`);
    return undefined;
  }
  const location = `${folder}/config.pbtxt`;
  const text = readUtf8(configFile.bytes, location, problems);
  const parsed = text === undefined ? undefined : parseModelConfigText(text, location, problems);
  if (!parsed) return undefined;
  const config = readModelConfig(parsed, folder, problems);
  const versionFolders = [...groupByFolder(files)].filter(([name]) => VERSION_FOLDER.test(name) && Number.isSafeInteger(Number(name)));
  if (versionFolders.length === 0) problems.push(`${folder}/: no version folder (a numeric sub-folder such as ${folder}/1/)`);
  const versions = versionFolders
    .map(([name, versionFiles]) => ({ version: Number(name), versionFiles }))
    .sort((left, right) => left.version - right.version)
    .flatMap(({ version, versionFiles }) => {
      const read = readModelVersion(folder, version, versionFiles, parsed, problems);
      return read ? [read] : [];
    });
  return { ...config, versions };
}

/** The files below each folder at the top of `files`, paths relative to that folder; files at the top are left out. */
function groupByFolder(files: readonly RepositoryFile[]): Map<string, RepositoryFile[]> {
  const byFolder = new Map<string, RepositoryFile[]>();
  for (const { path, bytes } of files) {
    const slash = path.indexOf('/');
    if (slash <= 0) continue;
    const folder = path.slice(0, slash);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), { path: path.slice(slash + 1), bytes }]);
  }
  return byFolder;
}
