/**
 * The segments of a '/'-separated path inside the repository, or undefined for one that is absolute, climbs out
 * (`..`), or has empty, `.` or backslashed segments: the importer stores files by these paths, so none may escape.
 */
export function repositoryPathSegments(path: string): string[] | undefined {
  const segments = path.split('/');
  return segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !segment.includes('\\')) ? segments : undefined;
}
