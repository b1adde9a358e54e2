import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findFreePort } from '@slipway/local-runtime';
import { waitFor } from '@slipway/testing';
import { MlserverBenchError } from './mlserver-bench.error';
import type { MlserverModel } from './mlserver-model';

export interface MlserverProcess {
  baseUrl: string;
  pid: number | undefined;
  /** MLServer's version, what the bench wrote into settings.json, and the defaults that shape its speed. */
  settings: Record<string, unknown>;
  /** SIGTERM to the whole process group (MLServer forks its inference workers), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;
// settings.json leaves these unset, so the server runs with the values printed here.
const DEFAULTS_SCRIPT = [
  'import json, mlserver',
  'from importlib.metadata import version',
  'from mlserver.settings import Settings',
  's = Settings()',
  'print(json.dumps({"mlserver": mlserver.__version__, "mlserver-sklearn": version("mlserver-sklearn"), "parallel_workers": s.parallel_workers, "debug": s.debug, "metrics_endpoint": s.metrics_endpoint}))',
].join('\n');

/**
 * `mlserver start <model dir>` with HTTP, gRPC and metrics on free 127.0.0.1 ports (settings.json in that folder)
 * and output to `logFile`; resolves once the server and the model are ready. Stops it again when that fails.
 * @throws MlserverBenchError naming the log file when it exits or is not ready in time
 */
export async function startMlserver(model: MlserverModel, logFile: string): Promise<MlserverProcess> {
  const [httpPort, grpcPort, metricsPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
  const settings = { host: '127.0.0.1', http_port: httpPort, grpc_port: grpcPort, metrics_port: metricsPort };
  await writeFile(join(model.dir, 'settings.json'), `${JSON.stringify(settings, null, 1)}\n`);
  const defaults = JSON.parse(execFileSync(join(model.venvBin, 'python'), ['-c', DEFAULTS_SCRIPT], { encoding: 'utf8' })) as Record<string, unknown>;
  const log = openSync(logFile, 'a');
  // Its own process group, so stopping it reaches the inference workers and multiprocessing's resource tracker too.
  const child = spawn(join(model.venvBin, 'mlserver'), ['start', model.dir], { cwd: model.dir, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  const exit = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`could not start (${error.message})`));
    child.once('exit', (code, signal) => resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`));
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  const stop = async () => {
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), STOP_GRACE_MS);
    await exit;
    clearTimeout(timer);
    // Workers that outlived the main process.
    signalGroup('SIGKILL');
  };
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const ready = async () => {
    for (const path of ['/v2/health/ready', `/v2/models/${model.name}/ready`]) {
      await waitFor(`MLServer to answer 200 on ${baseUrl}${path}`, async () => ((await fetch(`${baseUrl}${path}`)).status === 200 ? true : undefined), READY_TIMEOUT_MS);
    }
  };
  try {
    await Promise.race([ready(), exit.then((how) => Promise.reject(new MlserverBenchError(`MLServer ${how} before it was ready`)))]);
  } catch (error) {
    await stop();
    throw new MlserverBenchError(`MLServer did not get ready (${(error as Error).message}); read ${logFile}`, { cause: error });
  }
  return { baseUrl, pid: child.pid, settings: { ...defaults, ...settings }, stop };
}
