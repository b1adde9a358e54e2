import { runStatusSchema, type CacheExplanation } from '@slipway/contracts';
import { RegistryApiError, type RegistryClient } from '@slipway/registry-client';
import { Command, Option } from 'commander';
import { formatCacheExplanation } from '../cache-explanation-format';
import { CliError, EXIT } from '../cli.error';
import { followRun } from '../follow-run';
import { jsonOption, printJson, registryClient, registryOption } from '../registry-option';
import { formatRunDetails, formatRunTable } from '../run-format';

export function runsCommand(): Command {
  // Subcommands made with .command() inherit exitOverride: a usage error reaches main as a CommanderError (exit 2).
  const runs = new Command('runs').description('inspect, resume and explain pipeline runs').exitOverride();
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
  runs
    .command('resume <run-id>')
    .description('run the failed steps of a failed run again, reusing what succeeded, and follow it like `slipway run`')
    .addOption(registryOption())
    .addOption(jsonOption())
    .option('--detach', 'resume and return without following the run')
    .action(async (runId: string, options: { registry?: string; json?: boolean; detach?: boolean }) => {
      const client = registryClient(options.registry);
      await followRun(client, await client.resumeRun(runId), 'resumed', options);
    });
  runs
    .command('explain <run-id> <step>')
    .description('why a step hit or missed the cache: its key, what the key is made of, and what differs from the nearest earlier run')
    .addOption(registryOption())
    .addOption(jsonOption())
    .action(async (runId: string, step: string, options: { registry?: string; json?: boolean }) => {
      const explanation = await explainStep(registryClient(options.registry), runId, step);
      if (options.json) printJson(explanation);
      else console.log(formatCacheExplanation(explanation));
    });
  return runs;
}

/** A 404 means an unknown run or an unknown step; for a run that exists, name the steps it has (`train[0]`, … for a grid). */
async function explainStep(client: RegistryClient, runId: string, step: string): Promise<CacheExplanation> {
  try {
    return await client.explainCache(runId, step);
  } catch (error) {
    if (!(error instanceof RegistryApiError) || error.status !== 404) throw error;
    const run = await client.getRun(runId);
    throw new CliError(`run ${runId} has no step "${step}"; its steps: ${run.steps.map((row) => row.name).join(', ')}`, EXIT.usage);
  }
}
