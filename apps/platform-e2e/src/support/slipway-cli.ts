import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WORKSPACE_ROOT } from './platform-under-test';

/**
 * The file `npm ci` links as node_modules/.bin/slipway, named in this checkout: a worktree whose node_modules is a
 * symlink to another checkout's would otherwise run that checkout's CLI.
 */
export const SLIPWAY_BIN = join(WORKSPACE_ROOT, 'apps', 'cli', 'bin', 'slipway.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the `slipway` command exactly as `npx slipway` finds it after `npm ci`. */
export async function slipway(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SLIPWAY_BIN, ...args], { cwd: WORKSPACE_ROOT, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
