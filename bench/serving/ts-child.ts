import { fork } from 'node:child_process';
import { waitForExit } from '@slipway/local-runtime';

export class BenchChildError extends Error {
  override readonly name = 'BenchChildError';
}

/** A helper process of the bench (the bare server, the liveness probe), talking over IPC. */
export interface BenchChild {
  readonly pid: number | undefined;
  /** The next message the child sends; fails when it exits first or stays silent past the timeout. */
  nextMessage<T>(what: string, timeoutMs: number): Promise<T>;
  send(message: unknown): void;
  /** SIGTERM, SIGKILL after a grace period; a no-op once the child has exited. */
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript file of this folder as its own Node process (through @swc-node/register, like the bench
 * itself), so its event loop never competes with autocannon's. The child exits when the IPC channel closes,
 * so it cannot outlive the bench even when the bench is killed.
 */
export function startTsChild(file: string, args: string[]): BenchChild {
  const child = fork(file, args, { execArgv: ['-r', '@swc-node/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const inbox: unknown[] = [];
  const waiters: ((message: unknown) => void)[] = [];
  child.on('message', (message) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else inbox.push(message);
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`));
  });

  return {
    pid: child.pid,
    nextMessage<T>(what: string, timeoutMs: number): Promise<T> {
      if (inbox.length > 0) return Promise.resolve(inbox.shift() as T);
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([
        new Promise<T>((resolve) => waiters.push((message) => resolve(message as T))),
        exited.then((how) => Promise.reject(new BenchChildError(`${file} ${how} before sending ${what}`))),
        new Promise<T>((_, reject) => {
          timer = setTimeout(() => reject(new BenchChildError(`${file} sent no ${what} within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
    },
    send(message: unknown): void {
      child.send(message as object);
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await waitForExit(child, 5_000);
    },
  };
}
