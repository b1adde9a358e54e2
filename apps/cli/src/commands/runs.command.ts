import { runStatusSchema } from '@slipway/contracts';
import { Command, Option } from 'commander';
import { formatRunDetails, formatRunTable } from '../run-format';
import { jsonOption, printJson, registryClient, registryOption } from '../registry-option';

export function runsCommand(): Command {
  const runs = new Command('runs').description('inspect pipeline runs');
  runs
    .command('ls')
    .description('list recent runs, newest first')
    .addOption(registryOption())
    .addOption(jsonOption())
    .addOption(new Option('--status <status>', 'only runs in this status').choices(runStatusSchema.options))
    .option('--limit <n>', 'how many runs', (value) => Number.parseInt(value, 10), 20)
    .action(async (options: { registry?: string; json?: boolean; status?: 'queued' | 'running' | 'succeeded' | 'failed'; limit: number }) => {
      const list = await registryClient(options.registry).listRuns({ limit: options.limit, status: options.status });
      if (options.json) printJson(list);
      else console.log(formatRunTable(list));
    });
  runs
    .command('show <run-id>')
    .description('one run with its steps, metrics and registered version')
    .addOption(registryOption())
    .addOption(jsonOption())
    .action(async (runId: string, options: { registry?: string; json?: boolean }) => {
      const run = await registryClient(options.registry).getRun(runId);
      if (options.json) printJson(run);
      else console.log(formatRunDetails(run));
    });
  return runs;
}
