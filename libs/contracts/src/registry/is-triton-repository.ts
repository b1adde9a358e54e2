import { uploadPathSegments } from './upload-path';

/**
 * Whether files are laid out as a Triton model repository: some `<model>/config.pbtxt` at the top (paths relative to
 * the repository). The CLI asks before it uploads, the registry when it reads.
 */
export function isTritonRepository(files: readonly { path: string }[]): boolean {
  return files.some((file) => {
    const segments = uploadPathSegments(file.path);
    return segments?.length === 2 && segments[1] === 'config.pbtxt';
  });
}
