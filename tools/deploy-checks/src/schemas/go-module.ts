import { tmpdir } from 'node:os';
import type { GoModulePin } from '../support/pins';
import { runCommand } from '../support/run-command';

export class GoModuleDownloadError extends Error {
  override readonly name = 'GoModuleDownloadError';
}

/**
 * Downloads one module version from the Go module proxy into the module cache (a no-op when it is there) and
 * returns its read-only directory. Runs outside any go.mod, so only that module is fetched, not its dependencies.
 */
export async function downloadGoModule(pin: GoModulePin): Promise<string> {
  const { stdout } = await runCommand('go', ['mod', 'download', '-json', `${pin.module}@${pin.version}`], {
    cwd: tmpdir(),
    env: { ...process.env, GOFLAGS: '-mod=mod' },
  }).catch((error: Error) => {
    throw new GoModuleDownloadError(`go mod download ${pin.module}@${pin.version} failed: ${error.message}`);
  });
  const answer = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (answer.Error || !answer.Dir) throw new GoModuleDownloadError(`go mod download ${pin.module}@${pin.version}: ${answer.Error ?? 'no directory'}`);
  return answer.Dir;
}
