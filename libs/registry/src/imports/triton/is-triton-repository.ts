import { repositoryPathSegments } from './repository-path';
import type { RepositoryFile } from './triton-model';

/** Whether the files are laid out as a Triton model repository: some `<model>/config.pbtxt` at the top. */
export function isTritonRepository(files: readonly Pick<RepositoryFile, 'path'>[]): boolean {
  return files.some((file) => {
    const segments = repositoryPathSegments(file.path);
    return segments?.length === 2 && segments[1] === 'config.pbtxt';
  });
}
