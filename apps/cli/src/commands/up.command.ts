import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { launcherConfig, loadConfig } from '@slipway/config';
import { launchLocalPlatform, platformPorts, RedisServerNotFoundError, type LaunchedPlatform } from '@slipway/local-runtime';
import { RegistryClient } from '@slipway/registry-client';
import { Command } from 'commander';
import { CliError, EXIT } from '../cli.error';
import { runDemo } from '../demo/run-demo';
import { printDemoReport } from '../demo/demo-report';

export function upCommand(): Command {
  return new Command('up')
    .exitOverride()
    .description(
      'start Redis (unless REDIS_URL answers) and the five services from their built output, restart any that dies, and keep their state in <state-dir>/up.json for `slipway status`; Ctrl+C stops the services, then Redis',
    )
    .option('--demo', 'then run the Iris demo pipeline and make a prediction')
    .option('--state-dir <dir>', 'where artifacts, the registry database, logs and up.json go', '.slipway')
    .option('--exit-after-demo', 'stop everything once the demo prediction is made (scripts, benchmarks)')
    .option('--report <file>', 'also write the demo report as JSON to this file')
    .action(async (options: { demo?: boolean; stateDir: string; exitAfterDemo?: boolean; report?: string }) => {
      const startedAt = performance.now();
      const workspaceRoot = process.cwd();
      const stateDir = resolve(options.stateDir);
      const config = loadConfig(launcherConfig);
      // Until the handler below is in place, Ctrl+C would end the launcher and leave the detached children running.
      const stop = stopSignal();
      const launched = await launch(workspaceRoot, stateDir, config.REDIS_URL, platformPorts(config));
      const { platform } = launched;
      if (stop.requested()) return stopAll(launched);
      console.log(`logs         ${join(stateDir, 'logs')}`);
      if (options.demo) {
        try {
          const report = await runDemo({ workspaceRoot, registry: new RegistryClient(platform.url('model-registry')), servingUrl: platform.url('serving'), startedAt, onProgress: console.log });
          printDemoReport(report, platform);
          if (options.report) await writeFile(options.report, `${JSON.stringify(report, null, 2)}\n`);
        } catch (error) {
          await stopAll(launched);
          throw error;
        }
        if (options.exitAfterDemo) return stopAll(launched);
      }
      console.log('\nSlipway is running; `slipway status` shows its processes. Press Ctrl+C to stop every process it started.');
      await stop.received;
      await stopAll(launched);
    });
}

async function launch(workspaceRoot: string, stateDir: string, redisUrl: string | undefined, ports: ReturnType<typeof platformPorts>): Promise<LaunchedPlatform> {
  try {
    const launched = await launchLocalPlatform({
      workspaceRoot,
      stateDir,
      ports,
      redisUrl,
      report: (line) => console.log(`slipway: ${line}`),
      onReady: (name, ms) => console.log(`${name.padEnd(12)} ready (${ms} ms)`),
    });
    console.log(`redis        ${launched.redis ? `started redis-server at ${launched.redisUrl}` : `using ${launched.redisUrl}`}`);
    return launched;
  } catch (error) {
    if (error instanceof RedisServerNotFoundError) throw new CliError(error.message, EXIT.startupFailed);
    throw new CliError(`the platform did not start: ${(error as Error).message}`, EXIT.startupFailed);
  }
}

async function stopAll(launched: LaunchedPlatform): Promise<void> {
  console.log('\nstopping the services, then Redis…');
  const stoppingAt = performance.now();
  const { killed } = await launched.stop();
  const seconds = ((performance.now() - stoppingAt) / 1000).toFixed(1);
  console.log(killed.length === 0 ? `stopped in ${seconds} s.` : `stopped in ${seconds} s; ${killed.join(', ')} had to be killed.`);
}

/** The first SIGINT (Ctrl+C) or SIGTERM; further ones are ignored while everything stops. */
function stopSignal(): { received: Promise<void>; requested: () => boolean } {
  let requested = false;
  const received = new Promise<void>((resolveSignal) => {
    const stop = () => {
      requested = true;
      resolveSignal();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return { received, requested: () => requested };
}
