/**
 * The segments of a '/'-separated path of an uploaded file, or undefined for one that is absolute, climbs out
 * (`..`), or has empty, `.` or backslashed segments: the registry stores files by these paths, so none may escape.
 */
export function uploadPathSegments(path: string): string[] | undefined {
  const segments = path.split('/');
  return segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !segment.includes('\\')) ? segments : undefined;
}
