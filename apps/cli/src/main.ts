import { ConfigError } from '@slipway/config';
import { RegistryApiError } from '@slipway/registry-client';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './cli.error';
import { lineageCommand } from './commands/lineage.command';
import { modelsCommand } from './commands/models.command';
import { runCommand } from './commands/run.command';
import { runsCommand } from './commands/runs.command';
import { upCommand } from './commands/up.command';

const program = new Command('slipway')
  .description('Slipway: prepare, train, register, serve and monitor models — locally or in a cluster')
  .exitOverride()
  .addCommand(upCommand())
  .addCommand(runCommand())
  .addCommand(runsCommand())
  .addCommand(modelsCommand())
  .addCommand(lineageCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  const exitCode = exitCodeOf(error);
  console.error(`slipway: ${(error as Error).message}`);
  process.exit(exitCode);
});

function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ConfigError) return EXIT.usage;
  if (error instanceof RegistryApiError) {
    if (error.status === undefined) return EXIT.unreachable;
    if (error.status === 401 || error.status === 403) return EXIT.denied;
    return error.status >= 400 && error.status < 500 ? EXIT.usage : EXIT.runFailed;
  }
  return EXIT.runFailed;
}
