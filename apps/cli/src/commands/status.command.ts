import { resolve } from 'node:path';
import { describeProcesses, isProcessAlive, platformStateFile, readPlatformState } from '@slipway/local-runtime';
import { Command } from 'commander';
import { CliError, EXIT } from '../cli.error';
import { jsonOption, printJson } from '../registry-option';
import { formatProcessTable } from '../process-table-format';

export function statusCommand(): Command {
  return new Command('status')
    .exitOverride()
    .description('show each process of the running `slipway up`: pid, state, restarts, port, ready or not (asked now), uptime')
    .option('--state-dir <dir>', 'the state dir `slipway up` was given', '.slipway')
    .addOption(jsonOption())
    .action(async (options: { stateDir: string; json?: boolean }) => {
      const file = platformStateFile(resolve(options.stateDir));
      const state = readPlatformState(file);
      if (!state) throw new CliError(`slipway up is not running here (no ${file})`, EXIT.unreachable);
      if (!isProcessAlive(state.launcherPid)) {
        throw new CliError(`slipway up (pid ${state.launcherPid}) is gone without stopping its processes; ${file} is stale: stop any left over (pids in it) and remove it`, EXIT.unreachable);
      }
      const processes = await describeProcesses(state);
      if (options.json) return printJson({ launcherPid: state.launcherPid, startedAt: state.startedAt, externalRedisUrl: state.externalRedisUrl, processes });
      console.log(`slipway up (pid ${state.launcherPid}) since ${state.startedAt}${state.externalRedisUrl ? `, using Redis at ${state.externalRedisUrl}` : ''}`);
      console.log(formatProcessTable(processes, Date.now()));
    });
}
