import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeExit, hasExited, killGroup, stopGroup, type ExitInfo, type StopOutcome } from './process-group';
import type { SupervisedProcess } from './supervised-process';

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

/** One platform service running as its own Node process, in a process group of its own; start() again after it ended starts a new one. */
export class ServiceProcess implements SupervisedProcess {
  readonly baseUrl: string;
  private child?: ChildProcess;
  private log?: WriteStream;
  private readonly exits = new EventEmitter();

  constructor(readonly spec: ServiceProcessSpec) {
    this.baseUrl = `http://127.0.0.1:${spec.port}`;
  }

  get name(): string {
    return this.spec.name;
  }

  get port(): number {
    return this.spec.port;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && !hasExited(this.child);
  }

  /** Called each time the process ends, whoever ended it. */
  onExit(listener: (exit: ExitInfo) => void): void {
    this.exits.on('exit', listener);
  }

  async start(): Promise<void> {
    await mkdir(dirname(this.spec.logFile), { recursive: true });
    this.log ??= createWriteStream(this.spec.logFile, { flags: 'a' });
    const child = spawn(process.execPath, ['--enable-source-maps', this.spec.entry], {
      cwd: this.spec.cwd,
      env: { ...process.env, ...this.spec.env, PORT: String(this.spec.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => this.exits.emit('exit', { code, signal } satisfies ExitInfo));
  }

  /** Waits until GET /readyz answers 200; fails early (with the log file named) when the process dies. */
  async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const child = this.child;
    let lastAnswer = 'no answer';
    while (Date.now() < deadline) {
      // A crash by signal (SIGSEGV from a native addon, the OOM killer's SIGKILL) leaves exitCode null: check both.
      if (child && hasExited(child)) {
        throw new ServiceStartError(`${this.spec.name} ${describeExit({ code: child.exitCode, signal: child.signalCode })} during start-up; see ${this.spec.logFile}`);
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

  /** SIGTERM (graceful shutdown: the service hands its job back), SIGKILL after the grace period; then closes the log. */
  async stop(graceMs = 15_000): Promise<StopOutcome> {
    const outcome = await stopGroup(this.child, graceMs);
    this.log?.end();
    this.log = undefined;
    return outcome;
  }

  /** Kills the process without a chance to clean up, as a crash would. */
  kill(): Promise<void> {
    return killGroup(this.child);
  }
}
