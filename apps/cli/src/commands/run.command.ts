import { Command } from 'commander';
import { CliError, EXIT } from '../cli.error';
import { loadPipelineFile } from '../pipeline-file';
import { formatRunDetails } from '../run-format';
import { RunProgressDisplay } from '../run-progress';
import { jsonOption, printJson, registryClient, registryOption } from '../registry-option';
import { watchRun } from '../run-watcher';

export function runCommand(): Command {
  return new Command('run')
    .description('submit a pipeline file (JSON or YAML) and follow the run until it finishes')
    .argument('<pipeline-file>')
    .addOption(registryOption())
    .addOption(jsonOption())
    .option('--detach', 'submit and return without following the run')
    .action(async (file: string, options: { registry?: string; json?: boolean; detach?: boolean }) => {
      const pipeline = await loadPipelineFile(file);
      const client = registryClient(options.registry);
      const submitted = await client.submitRun({ pipeline });
      if (options.detach) {
        if (options.json) printJson(submitted);
        else console.log(`submitted run ${submitted.id}`);
        return;
      }
      if (!options.json) console.log(`run ${submitted.id} submitted`);
      const display = new RunProgressDisplay();
      const finished = await watchRun(client, submitted.id, (run) => {
        if (!options.json) display.update(run);
      });
      if (options.json) printJson(finished);
      else console.log(formatRunDetails(finished));
      if (finished.status === 'failed') throw new CliError(`run ${finished.id} failed: ${finished.error ?? 'no reason recorded'}`, EXIT.runFailed);
    });
}
