import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
}

/**
 * Runs a command to completion with its stdout and stderr appended to `logFile`, so a bench's console stays short
 * and a failure names the file that says why.
 * @throws CommandFailedError naming the command, how it ended and the log file
 */
export async function runLogged(command: string, args: readonly string[], logFile: string, cwd?: string): Promise<void> {
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { cwd, stdio: ['ignore', log, log] });
    const how = await new Promise<string | undefined>((resolve) => {
      child.once('error', (error) => resolve(`could not start (${error.message})`));
      child.once('exit', (code, signal) => resolve(code === 0 ? undefined : signal ? `was killed by ${signal}` : `exited with code ${code}`));
    });
    if (how !== undefined) throw new CommandFailedError(`${command} ${args.join(' ')} ${how}; read ${logFile}`);
  } finally {
    closeSync(log);
  }
}
