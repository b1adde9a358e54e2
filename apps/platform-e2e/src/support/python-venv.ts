import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WORKSPACE_ROOT } from './platform-under-test';

const SETUP_VENV = join(WORKSPACE_ROOT, 'tools', 'python', 'setup-venv.sh');
const VENV_PYTHON = join(WORKSPACE_ROOT, '.tools', 'venv', 'bin', 'python');

export interface ProcessResult {
  code: number;
  /** stdout and stderr in one, as a person would read them in a terminal. */
  output: string;
}

async function run(file: string, args: string[], timeoutMs: number): Promise<ProcessResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd: WORKSPACE_ROOT, timeout: timeoutMs });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number | string; signal?: string; stdout?: string; stderr?: string; message: string };
    // A process killed by the timeout has no exit code: report it as a failure that says so.
    const code = typeof failed.code === 'number' ? failed.code : -1;
    const reason = typeof failed.code === 'number' ? '' : `\n(${failed.signal ? `killed by ${failed.signal}` : failed.message})`;
    return { code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}${reason}` };
  }
}

/**
 * Builds .tools/venv from tools/python/requirements.txt (pip from PyPI; about half a minute the first time,
 * nothing once cached) and fails with the script's own output when it cannot.
 */
export async function setUpPythonVenv(timeoutMs = 300_000): Promise<void> {
  const result = await run(SETUP_VENV, [], timeoutMs);
  if (result.code !== 0) throw new Error(`tools/python/setup-venv.sh exited ${result.code}:\n${result.output}`);
}

/** Runs a command-line tool the venv installed (`schemathesis`, say). */
export function runVenvTool(tool: string, args: string[], timeoutMs = 300_000): Promise<ProcessResult> {
  return run(join(WORKSPACE_ROOT, '.tools', 'venv', 'bin', tool), args, timeoutMs);
}

/** Runs a Python script of the workspace (a path relative to its root) with the project's venv interpreter. */
export function runPython(script: string, args: string[], timeoutMs = 120_000): Promise<ProcessResult> {
  return run(VENV_PYTHON, [join(WORKSPACE_ROOT, script), ...args], timeoutMs);
}
