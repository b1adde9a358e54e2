import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalPlatformState, SupervisedProcessInfo } from '@slipway/contracts';
import { findFreePort, platformStateFile, readPlatformState } from '@slipway/local-runtime';
import { WORKSPACE_ROOT } from './platform-under-test';
import { SLIPWAY_BIN } from './slipway-cli';


/** `slipway up` run as a user runs it, as a child process: its output is read line by line, as it comes. */
export class SlipwayUp {
  readonly lines: string[] = [];
  private readonly waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];

  private constructor(
    readonly launcher: ChildProcess,
    readonly stateDir: string,
    readonly ports: Record<'model-registry' | 'data-prep' | 'trainer' | 'monitoring' | 'serving', number>,
  ) {
    let partial = '';
    launcher.stdout?.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) this.received(line);
    });
  }

  static async start(): Promise<SlipwayUp> {
    const stateDir = await mkdtemp(join(tmpdir(), 'slipway-up-e2e-'));
    const [registry, dataPrep, trainer, monitoring, serving] = await Promise.all([1, 2, 3, 4, 5].map(() => findFreePort()));
    const ports = { 'model-registry': registry, 'data-prep': dataPrep, trainer, monitoring, serving };
    // The launcher's own Redis, never one REDIS_URL may name: these tests kill it. The rest is inherited, as a shell does.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'REDIS_URL'));
    const env = { ...inherited, MODEL_REGISTRY_PORT: String(registry), DATA_PREP_PORT: String(dataPrep), TRAINER_PORT: String(trainer), MONITORING_PORT: String(monitoring), SERVING_PORT: String(serving) };
    const launcher = spawn(process.execPath, [SLIPWAY_BIN, 'up', '--state-dir', stateDir], { cwd: WORKSPACE_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const up = new SlipwayUp(launcher, stateDir, ports);
    await up.nextLine((line) => line.includes('Slipway is running'), 120_000);
    return up;
  }

  url(service: keyof SlipwayUp['ports']): string {
    return `http://127.0.0.1:${this.ports[service]}`;
  }

  state(): LocalPlatformState {
    const state = readPlatformState(platformStateFile(this.stateDir));
    if (!state) throw new Error(`no state file in ${this.stateDir}`);
    return state;
  }

  process(name: string): SupervisedProcessInfo {
    const found = this.state().processes.find((p) => p.name === name);
    if (!found) throw new Error(`slipway up supervises no process named ${name}`);
    return found;
  }

  /** The next line of output (from now on) that matches. */
  nextLine(match: (line: string) => boolean, timeoutMs = 90_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`slipway up printed no matching line within ${timeoutMs} ms; its output:\n${this.lines.join('\n')}`)), timeoutMs);
      this.waiters.push({ match, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  }

  /** SIGINT, as Ctrl+C sends it; resolves with the exit code once the launcher has exited and its output is read. */
  async interrupt(): Promise<number | null> {
    const exited = once(this.launcher, 'close') as Promise<[number | null]>;
    this.launcher.kill('SIGINT');
    return (await exited)[0];
  }

  async cleanUp(): Promise<void> {
    if (this.launcher.exitCode === null && this.launcher.signalCode === null) await this.interrupt();
    await rm(this.stateDir, { recursive: true, force: true });
  }

  private received(line: string): void {
    this.lines.push(line);
    for (const waiter of [...this.waiters]) {
      if (!waiter.match(line)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
