import { uploadPathSegments } from '@slipway/contracts';
import { ModelImportError } from '../errors/model-import.error';
import type { RepositoryFile } from './triton/triton-model';

/** What the user imported: one file, or one folder with its files (paths relative to it). */
export interface UploadedRoot {
  /** The file's or folder's own name: the version's `source.fileName`. */
  name: string;
  /** True for a single file, whose one entry has `name` as its path. */
  single: boolean;
  files: RepositoryFile[];
}

/**
 * Uploads name every file by its path from the imported file or folder down, that name first (`iris.onnx`;
 * `keras-mlp/model.json`, as a browser's folder upload does), so the import knows what to call its source.
 * @throws ModelImportError when there are no files, a path is absolute or climbs out, or the files are not one
 *   file or one folder
 */
export function uploadedRoot(files: readonly RepositoryFile[]): UploadedRoot {
  if (files.length === 0) throw new ModelImportError('no files were uploaded: send the model file, or every file of its folder, as file parts');
  const segments = files.map((file) => {
    const parts = uploadPathSegments(file.path);
    if (!parts) throw new ModelImportError(`"${file.path}" is not a relative '/'-separated path without "..", "." or empty segments`);
    return parts;
  });
  const roots = [...new Set(segments.map(([first]) => first))];
  if (roots.length > 1) throw new ModelImportError(`upload one file or one folder; these paths start with ${roots.map((root) => `"${root}"`).join(', ')}`);
  const [name] = roots as [string];
  if (segments.length === 1 && segments[0]?.length === 1) return { name, single: true, files: [...files] };
  const single = segments.find((parts) => parts.length === 1);
  if (single) throw new ModelImportError(`"${name}" was uploaded both as a file and as a folder`);
  return { name, single: false, files: files.map((file, index) => ({ path: (segments[index] as string[]).slice(1).join('/'), bytes: file.bytes })) };
}
