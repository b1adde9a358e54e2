import { execFile } from 'node:child_process';

export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`\`${command}\` exited with ${exitCode}: ${(stderr || stdout).trim().slice(-4000)}`);
  }
}

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/** Runs a program (no shell) and resolves with its output, or rejects with both streams when it fails. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === 'number' ? error.code : null;
          reject(new CommandFailedError([file, ...args].join(' '), code, stdout, stderr));
        } else {
          resolvePromise({ stdout, stderr });
        }
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
