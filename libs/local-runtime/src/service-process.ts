import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { waitForExit } from './wait-for-exit';

export interface ServiceProcessSpec {
  name: string;
  /** The built entry point (`dist/.../main.js`). */
  entry: string;
  port: number;
  env: Record<string, string>;
  /** Where the JSON log lines go. */
  logFile: string;
  cwd: string;
}

export class ServiceStartError extends Error {
  override readonly name = 'ServiceStartError';
}

/** One platform service running as its own Node process. */
export class ServiceProcess {
  readonly baseUrl: string;
  private child?: ChildProcess;
  private log?: WriteStream;

  constructor(readonly spec: ServiceProcessSpec) {
    this.baseUrl = `http://127.0.0.1:${spec.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    await mkdir(dirname(this.spec.logFile), { recursive: true });
    this.log = createWriteStream(this.spec.logFile, { flags: 'a' });
    this.child = spawn(process.execPath, ['--enable-source-maps', this.spec.entry], {
      cwd: this.spec.cwd,
      env: { ...process.env, ...this.spec.env, PORT: String(this.spec.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.pipe(this.log, { end: false });
    this.child.stderr?.pipe(this.log, { end: false });
  }

  /** Waits until GET /readyz answers 200; fails early (with the log file named) when the process dies. */
  async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastAnswer = 'no answer';
    while (Date.now() < deadline) {
      // A crash by signal (SIGSEGV from a native addon, the OOM killer's SIGKILL) leaves exitCode null: check both.
      if (this.child && (this.child.exitCode !== null || this.child.signalCode !== null)) {
        const how = this.child.signalCode ? `was killed by ${this.child.signalCode}` : `exited with code ${this.child.exitCode}`;
        throw new ServiceStartError(`${this.spec.name} ${how} during start-up; see ${this.spec.logFile}`);
      }
      try {
        const response = await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return;
        lastAnswer = `${response.status} ${await response.text()}`;
      } catch (error) {
        lastAnswer = (error as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new ServiceStartError(`${this.spec.name} not ready at ${this.baseUrl}/readyz after ${timeoutMs} ms (${lastAnswer}); see ${this.spec.logFile}`);
  }

  /** SIGTERM (graceful shutdown), SIGKILL after the grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      await waitForExit(this.child, graceMs);
    }
    this.log?.end();
  }

  /** Kills the process without a chance to clean up, as a crash would. */
  async kill(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      this.child.kill('SIGKILL');
      await waitForExit(this.child, 5_000);
    }
  }
}
