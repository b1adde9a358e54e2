import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WORKSPACE_ROOT } from './platform-under-test';

const SLIPWAY_BIN = join(WORKSPACE_ROOT, 'node_modules', '.bin', 'slipway');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the `slipway` command exactly as `npx slipway` finds it after `npm ci`. */
export async function slipway(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(SLIPWAY_BIN, args, { cwd: WORKSPACE_ROOT, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
