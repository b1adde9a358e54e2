import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { launcherConfig, loadConfig } from '@slipway/config';
import { isRedisAnswering, LocalPlatform, platformPorts, RedisServerNotFoundError, startRedisServer, type RunningRedis } from '@slipway/local-runtime';
import { RegistryClient } from '@slipway/registry-client';
import { Command } from 'commander';
import { CliError, EXIT } from '../cli.error';
import { runDemo } from '../demo/run-demo';
import { printDemoReport } from '../demo/demo-report';

export function upCommand(): Command {
  return new Command('up')
    .exitOverride()
    .description('start Redis (unless REDIS_URL answers) and the five services from their built output; Ctrl+C stops everything')
    .option('--demo', 'then run the Iris demo pipeline and make a prediction')
    .option('--state-dir <dir>', 'where artifacts, the registry database and logs go', '.slipway')
    .option('--exit-after-demo', 'stop everything once the demo prediction is made (scripts, benchmarks)')
    .option('--report <file>', 'also write the demo report as JSON to this file')
    .action(async (options: { demo?: boolean; stateDir: string; exitAfterDemo?: boolean; report?: string }) => {
      const startedAt = performance.now();
      const workspaceRoot = process.cwd();
      const stateDir = resolve(options.stateDir);
      const config = loadConfig(launcherConfig);
      const redis = await obtainRedis(config.REDIS_URL, stateDir);
      console.log(`redis        ${redis.process ? `started redis-server at ${redis.url}` : `using ${redis.url}`}`);
      const platform = new LocalPlatform({ workspaceRoot, redisUrl: redis.url, ports: platformPorts(config), stateDir });
      const stopAll = async () => {
        await platform.stop();
        await redis.stop();
      };
      try {
        await platform.start((service, ms) => console.log(`${service.padEnd(12)} ready at ${platform.url(service)} (${ms} ms)`));
      } catch (error) {
        await redis.stop();
        throw new CliError(`the platform did not start: ${(error as Error).message}`, EXIT.startupFailed);
      }
      console.log(`logs         ${join(stateDir, 'logs')}`);
      if (options.demo) {
        try {
          const report = await runDemo({ workspaceRoot, registry: new RegistryClient(platform.url('model-registry')), servingUrl: platform.url('serving'), startedAt, onProgress: console.log });
          printDemoReport(report, platform);
          if (options.report) await writeFile(options.report, `${JSON.stringify(report, null, 2)}\n`);
        } catch (error) {
          await stopAll();
          throw error;
        }
        if (options.exitAfterDemo) return stopAll();
      }
      console.log('\nSlipway is running. Press Ctrl+C to stop every process it started.');
      await waitForStopSignal();
      console.log('\nstopping…');
      await stopAll();
      console.log('stopped.');
    });
}

/** The Redis at REDIS_URL when it answers, else a redis-server of our own with its data under the state dir. */
async function obtainRedis(redisUrl: string | undefined, stateDir: string): Promise<RunningRedis> {
  if (redisUrl && (await isRedisAnswering(redisUrl))) return { url: redisUrl, stop: async () => undefined };
  try {
    return await startRedisServer(join(stateDir, 'redis'));
  } catch (error) {
    if (error instanceof RedisServerNotFoundError) throw new CliError(error.message, EXIT.startupFailed);
    throw error;
  }
}

function waitForStopSignal(): Promise<void> {
  return new Promise((resolveSignal) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveSignal();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
