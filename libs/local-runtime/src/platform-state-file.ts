import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeZodError, localPlatformStateSchema, type LocalPlatformState } from '@slipway/contracts';

/** Where `slipway up` keeps its state while it runs. */
export function platformStateFile(stateDir: string): string {
  return join(stateDir, 'up.json');
}

/** Written whole, then renamed over the old file, so a reader never sees half of it. Synchronous: it is also written while the launcher exits. */
export function writePlatformState(file: string, state: LocalPlatformState): void {
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(partial, file);
}

export class PlatformStateUnreadableError extends Error {
  override readonly name = 'PlatformStateUnreadableError';
}

/** The state a running (or crashed) launcher left, or undefined when there is no file. */
export function readPlatformState(file: string): LocalPlatformState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlatformStateUnreadableError(`${file} is not JSON (${(error as Error).message})`);
  }
  const parsed = localPlatformStateSchema.safeParse(json);
  if (!parsed.success) throw new PlatformStateUnreadableError(`${file} is not a slipway up state file: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

export function removePlatformState(file: string): void {
  rmSync(file, { force: true });
}

/** Whether a process with this pid exists (signal 0 checks without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
