import type { SupervisedProcessInfo, SupervisedProcessState } from '@slipway/contracts';
import { describeExit, type ExitInfo, type StopOutcome } from './process-group';
import { RestartPolicy, type RestartPolicyOptions } from './restart-policy';
import type { SupervisedProcess } from './supervised-process';

export interface SupervisorOptions {
  /** One line per event a user should see: a crash, a restart, giving up, a forced kill. */
  report: (line: string) => void;
  /** Called after every change of any process's state, with all of them. */
  onChange?: (processes: SupervisedProcessInfo[]) => void;
  restartPolicy?: RestartPolicyOptions;
  /** How long a (re)started process may take to become ready. @defaultValue 60 000 ms */
  readyTimeoutMs?: number;
}

interface Entry {
  process: SupervisedProcess;
  url: string;
  policy: RestartPolicy;
  state: SupervisedProcessState;
  restarts: number;
  startedAt: number | undefined;
  lastExit: string | null;
  restartTimer?: NodeJS.Timeout;
}

/**
 * Keeps a set of child processes running: a process that dies when nobody asked it to is reported at once (its name,
 * pid and exit code or signal) and started again with {@link RestartPolicy}'s backoff, or left down with a sentence
 * after too many quick crashes. Stopping stops the dependants together, then the dependencies (Redis last).
 */
export class Supervisor {
  private readonly entries: Entry[];
  private readonly dependencies: Set<string>;
  private stopping = false;

  /** @param processes in start order; `dependencies` are started before and stopped after all the others. */
  constructor(
    processes: { process: SupervisedProcess; url: string; dependency?: boolean }[],
    private readonly options: SupervisorOptions,
  ) {
    this.entries = processes.map(({ process, url }) => ({ process, url, policy: new RestartPolicy(options.restartPolicy), state: 'stopped', restarts: 0, startedAt: undefined, lastExit: null }));
    this.dependencies = new Set(processes.filter((p) => p.dependency).map((p) => p.process.name));
    for (const entry of this.entries) entry.process.onExit((exit) => this.exited(entry, exit));
  }

  /** Starts the dependencies, waits for them, then the others; resolves once all are ready. On failure stops what started. */
  async start(onReady: (name: string, ms: number) => void = () => undefined): Promise<void> {
    const startedAt = performance.now();
    const waitReady = async (entry: Entry) => {
      await entry.process.waitUntilReady(this.readyTimeoutMs);
      this.setState(entry, 'ready');
      onReady(entry.process.name, Math.round(performance.now() - startedAt));
    };
    try {
      const [first, rest] = [this.entries.filter((e) => this.isDependency(e)), this.entries.filter((e) => !this.isDependency(e))];
      for (const entry of first) await this.launch(entry);
      await Promise.all(first.map(waitReady));
      for (const entry of rest) await this.launch(entry);
      await Promise.all(rest.map(waitReady));
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops everything, dependants first (in parallel), each with SIGTERM and SIGKILL after `graceMs`; reports every SIGKILL. */
  async stop(graceMs = 8_000): Promise<{ killed: string[] }> {
    this.stopping = true;
    for (const entry of this.entries) clearTimeout(entry.restartTimer);
    const killed: string[] = [];
    const stopAll = (entries: Entry[]) =>
      Promise.all(
        entries.map(async (entry) => {
          this.setState(entry, 'stopping');
          const outcome: StopOutcome = await entry.process.stop(graceMs);
          if (outcome === 'killed') {
            killed.push(entry.process.name);
            this.options.report(`${entry.process.name} did not stop within ${graceMs / 1000} s of SIGTERM and was killed (SIGKILL); see ${entry.process.spec.logFile}`);
          }
          this.setState(entry, 'stopped');
        }),
      );
    await stopAll(this.entries.filter((e) => !this.isDependency(e)));
    await stopAll(this.entries.filter((e) => this.isDependency(e)));
    return { killed };
  }

  describe(): SupervisedProcessInfo[] {
    return this.entries.map((entry) => ({
      name: entry.process.name,
      pid: entry.state === 'restarting' || entry.state === 'failed' || entry.state === 'stopped' ? null : (entry.process.pid ?? null),
      state: entry.state,
      restarts: entry.restarts,
      port: entry.process.port,
      url: entry.url,
      startedAt: entry.startedAt === undefined ? null : new Date(entry.startedAt).toISOString(),
      lastExit: entry.lastExit,
      logFile: entry.process.spec.logFile,
    }));
  }

  private get readyTimeoutMs(): number {
    return this.options.readyTimeoutMs ?? 60_000;
  }

  private isDependency(entry: Entry): boolean {
    return this.dependencies.has(entry.process.name);
  }

  private async launch(entry: Entry): Promise<void> {
    entry.startedAt = Date.now();
    this.setState(entry, 'starting');
    await entry.process.start();
    this.options.onChange?.(this.describe());
  }

  private exited(entry: Entry, exit: ExitInfo): void {
    if (this.stopping || entry.state === 'stopping' || entry.state === 'stopped') return;
    const { name, spec } = entry.process;
    const uptimeMs = Date.now() - (entry.startedAt ?? Date.now());
    entry.lastExit = describeExit(exit);
    const decision = entry.policy.afterCrash(uptimeMs);
    this.options.report(`${name} (pid ${entry.process.pid}) ${entry.lastExit} after ${formatSeconds(uptimeMs)}; see ${spec.logFile}`);
    if (!decision.restart) {
      this.setState(entry, 'failed');
      this.options.report(`${name} crashed ${decision.quickCrashes} times in a row within moments of starting; not restarting it. Fix the cause (see ${spec.logFile}) and run slipway up again.`);
      return;
    }
    this.setState(entry, 'restarting');
    this.options.report(`restarting ${name} in ${formatSeconds(decision.delayMs)} (restart ${entry.restarts + 1})`);
    const crashedAt = performance.now();
    entry.restartTimer = setTimeout(() => void this.restart(entry, crashedAt), decision.delayMs);
  }

  private async restart(entry: Entry, crashedAt: number): Promise<void> {
    if (this.stopping) return;
    entry.restarts += 1;
    try {
      await this.launch(entry);
      await entry.process.waitUntilReady(this.readyTimeoutMs);
    } catch (error) {
      // A process that died again is handled by its exit; one that lives but is not ready stays `starting`, said once.
      if (entry.process.pid !== undefined && entry.state === 'starting') this.options.report(`${entry.process.name} restarted but is not ready: ${(error as Error).message}`);
      return;
    }
    if (this.stopping || entry.state !== 'starting') return;
    this.setState(entry, 'ready');
    this.options.report(`${entry.process.name} ready again (pid ${entry.process.pid}, ${formatSeconds(performance.now() - crashedAt)} after it died)`);
  }

  private setState(entry: Entry, state: SupervisedProcessState): void {
    entry.state = state;
    this.options.onChange?.(this.describe());
  }
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
