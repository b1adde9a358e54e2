import type { NoCache, PipelineSpec } from '@slipway/contracts';
import { Command, Option } from 'commander';
import { CliError, EXIT } from '../cli.error';
import { followRun } from '../follow-run';
import { loadPipelineFile } from '../pipeline-file';
import { jsonOption, registryClient, registryOption, tokenOption } from '../registry-option';

interface RunOptions {
  registry?: string;
  token?: string;
  json?: boolean;
  detach?: boolean;
  /** false with --no-cache (commander's negatable flag). */
  cache: boolean;
  /** The --no-cache-step names: commander names a `--no-x` option's value after `x`. */
  cacheStep: string[];
}

export function runCommand(): Command {
  return new Command('run')
    .description('submit a pipeline file (JSON or YAML) and follow the run until it finishes')
    // A usage error reaches main as a CommanderError (exit 2) instead of commander's process.exit(1).
    .exitOverride()
    .argument('<pipeline-file>')
    .addOption(registryOption())
    .addOption(tokenOption())
    .addOption(jsonOption())
    .option('--detach', 'submit and return without following the run')
    .option('--no-cache', 'run every step, even those whose outputs an earlier run produced from the same inputs')
    .addOption(
      new Option('--no-cache-step <name>', 'run this pipeline step even when cached (repeatable)')
        .argParser((name: string, names: string[]) => [...names, name])
        .default([], 'none'),
    )
    .action(async (file: string, options: RunOptions) => {
      const pipeline = await loadPipelineFile(file);
      const noCache = noCacheOf(pipeline, options);
      const client = registryClient(options.registry, options.token);
      await followRun(client, await client.submitRun({ pipeline, noCache }), 'submitted', options);
    });
}

/** `--no-cache` skips the cache everywhere; each `--no-cache-step` must name a step of the pipeline. */
function noCacheOf(pipeline: PipelineSpec, options: RunOptions): NoCache {
  if (!options.cache) return true;
  const names = [...new Set(options.cacheStep)];
  const unknown = names.filter((name) => !pipeline.steps.some((step) => step.name === name));
  if (unknown.length > 0) {
    const steps = pipeline.steps.map((step) => step.name).join(', ');
    throw new CliError(`--no-cache-step: pipeline "${pipeline.name}" has no step ${unknown.map((name) => `"${name}"`).join(', ')} (its steps: ${steps})`, EXIT.usage);
  }
  return names.length > 0 ? names : false;
}
