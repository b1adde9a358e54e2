import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * sha256 over the paths and contents of every file of a build output directory. The bench takes it before and
 * after measuring: a rebuild in between (a watch build, a colleague's `nx build`) would make the configurations
 * run different code, and their comparison meaningless.
 */
export async function buildFingerprint(directory: string): Promise<string> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(directory, file)).update('\0').update(await readFile(file)).update('\0');
  return `sha256:${hash.digest('hex')}`;
}
