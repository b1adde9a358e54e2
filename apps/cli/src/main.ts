import { Command, CommanderError } from 'commander';
import { EXIT } from './cli.error';
import { lineageCommand } from './commands/lineage.command';
import { modelsCommand } from './commands/models.command';
import { runCommand } from './commands/run.command';
import { runsCommand } from './commands/runs.command';
import { schedulesCommand } from './commands/schedules.command';
import { statusCommand } from './commands/status.command';
import { tokensCommand } from './commands/tokens.command';
import { upCommand } from './commands/up.command';
import { exitCodeOf } from './exit-code';

const program = new Command('slipway')
  .description('Slipway: prepare, train, register, serve and monitor models — locally or in a cluster')
  .exitOverride()
  .addCommand(upCommand())
  .addCommand(statusCommand())
  .addCommand(runCommand())
  .addCommand(runsCommand())
  .addCommand(modelsCommand())
  .addCommand(lineageCommand())
  .addCommand(schedulesCommand())
  .addCommand(tokensCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  const exitCode = exitCodeOf(error);
  console.error(`slipway: ${(error as Error).message}`);
  process.exit(exitCode);
});
