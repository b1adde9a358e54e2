import { createScheduleRequestSchema, type CreateScheduleRequest } from '@slipway/contracts';
import { Command } from 'commander';
import { CliError, EXIT } from '../cli.error';
import { loadPipelineFile } from '../pipeline-file';
import { jsonOption, printJson, registryClient, registryOption } from '../registry-option';
import { formatScheduleLine, formatScheduleTable } from '../schedule-format';

/** Request fields as the options that set them, so a bad value is reported by the flag the user typed. */
const OPTION_OF: Record<string, string> = { name: '--name', cron: '--cron', timezone: '--tz', every: '--every', experiment: '--experiment' };

interface CreateOptions {
  name: string;
  cron?: string;
  tz?: string;
  every?: string;
  experiment?: string;
  registry?: string;
  json?: boolean;
}

export function schedulesCommand(): Command {
  // Subcommands made with .command() inherit exitOverride: a usage error reaches main as a CommanderError (exit 2), not process.exit(1).
  const schedules = new Command('schedules').description('recurring runs of a pipeline, on a cron expression or every interval').exitOverride();
  schedules
    .command('create')
    .description('run a pipeline file on a schedule: --cron "<expr>" [--tz <zone>] or --every <interval> (30s, 15m, 1h, 2d)')
    .argument('<pipeline-file>')
    .requiredOption('--name <name>', 'schedule name: lowercase letters, digits and dashes')
    .option('--cron <expr>', 'cron expression, 5 fields (6 with seconds), e.g. "0 3 * * *"')
    .option('--tz <zone>', 'IANA time zone of the cron expression, e.g. Europe/Berlin (default UTC)')
    .option('--every <interval>', 'fixed interval, at least 1s, e.g. 15m; the first run starts at once')
    .option('--experiment <name>', 'experiment the runs are recorded in (default "default")')
    .addOption(registryOption())
    .addOption(jsonOption())
    .action(async (file: string, options: CreateOptions) => {
      const pipeline = await loadPipelineFile(file);
      const request: CreateScheduleRequest = { name: options.name, pipeline, experiment: options.experiment, cron: options.cron, timezone: options.tz, every: options.every };
      // Checked here too, so a typo is reported by its flag before anything reaches the registry.
      const parsed = createScheduleRequestSchema.safeParse(request);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${OPTION_OF[String(issue.path[0])] ?? issue.path.join('.')}: ${issue.message}`);
        throw new CliError(`invalid schedule — ${problems.join('; ')}`, EXIT.usage);
      }
      const created = await registryClient(options.registry).createSchedule(parsed.data);
      if (options.json) printJson(created);
      else console.log(`created ${formatScheduleLine(created)}`);
    });
  schedules
    .command('ls')
    .description('every schedule with its timing, state, next run and last run')
    .addOption(registryOption())
    .addOption(jsonOption())
    .action(async (options: { registry?: string; json?: boolean }) => {
      const list = await registryClient(options.registry).listSchedules();
      if (options.json) printJson(list);
      else console.log(formatScheduleTable(list));
    });
  schedules
    .command('pause <name>')
    .description('stop firing; the definition stays')
    .addOption(registryOption())
    .addOption(jsonOption())
    .action(async (name: string, options: { registry?: string; json?: boolean }) => {
      const paused = await registryClient(options.registry).pauseSchedule(name);
      if (options.json) printJson(paused);
      else console.log(`paused ${formatScheduleLine(paused)}`);
    });
  schedules
    .command('resume <name>')
    .description('fire again (an interval schedule fires at once)')
    .addOption(registryOption())
    .addOption(jsonOption())
    .action(async (name: string, options: { registry?: string; json?: boolean }) => {
      const resumed = await registryClient(options.registry).resumeSchedule(name);
      if (options.json) printJson(resumed);
      else console.log(`resumed ${formatScheduleLine(resumed)}`);
    });
  schedules
    .command('rm <name>')
    .description('delete a schedule')
    .addOption(registryOption())
    .action(async (name: string, options: { registry?: string }) => {
      await registryClient(options.registry).deleteSchedule(name);
      console.log(`schedule ${name} deleted`);
    });
  return schedules;
}
