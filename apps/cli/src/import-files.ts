import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { ImportFile } from '@slipway/registry-client';
import { CliError, EXIT } from './cli.error';

/**
 * A model file, or every file below a folder, as `slipway models import` uploads them: paths start with the file's or
 * folder's own name (`iris.onnx`, `models/iris/config.pbtxt`). Dotfiles and dot-folders (.DS_Store, .git) are
 * skipped: they are never part of a model.
 * @throws CliError (usage) when the path does not exist or the folder holds no file
 */
export async function readImportFiles(path: string): Promise<ImportFile[]> {
  const root = resolve(path);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new CliError(`${path} does not exist`, EXIT.usage);
  const name = basename(root);
  if (info.isFile()) return [{ path: name, bytes: await readFile(root) }];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep))
    .filter((segments) => segments.every((segment) => !segment.startsWith('.')))
    .map((segments) => segments.join('/'))
    .sort();
  if (paths.length === 0) throw new CliError(`${path} holds no file to import`, EXIT.usage);
  return Promise.all(paths.map(async (file) => ({ path: `${name}/${file}`, bytes: await readFile(join(root, file)) })));
}

/**
 * The CSV of reference rows `--reference` names, uploaded under its own file name.
 * @throws CliError (usage) when the path is not a file
 */
export async function readReferenceFile(path: string): Promise<ImportFile> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new CliError(`--reference ${path} is not a file: give a CSV of reference rows`, EXIT.usage);
  return { path: basename(path), bytes: await readFile(path) };
}

/** The files relative to the imported folder, as the registry reads a Triton repository. */
export function insideFolder(files: readonly ImportFile[]): { path: string }[] {
  return files.flatMap(({ path }) => (path.includes('/') ? [{ path: path.slice(path.indexOf('/') + 1) }] : []));
}
