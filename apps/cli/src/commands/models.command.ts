import { versionMetric, versionOrigin } from '../version-format';
import { Command } from 'commander';
import { formatTable } from '../run-format';
import { CliError, EXIT } from '../cli.error';
import { jsonOption, printJson, registryClient, registryOption, tokenOption } from '../registry-option';
import { modelsImportCommand } from './models-import.command';

export function modelsCommand(): Command {
  // Subcommands made with .command() inherit exitOverride: a usage error reaches main as a CommanderError (exit 2).
  const models = new Command('models').description('inspect registered models').exitOverride();
  models
    .command('ls')
    .description('registered models with their latest version and aliases')
    .addOption(registryOption())
    .addOption(jsonOption())
    .action(async (options: { registry?: string; json?: boolean }) => {
      const list = await registryClient(options.registry).listModels();
      if (options.json) return printJson(list);
      if (list.length === 0) return console.log('no registered models yet');
      const aliases = (record: Record<string, number>) => Object.entries(record).map(([alias, version]) => `${alias}→v${version}`).join(', ') || '—';
      console.log(formatTable(['MODEL', 'LATEST', 'VERSIONS', 'ALIASES'], list.map((m) => [m.name, m.latestVersion ? `v${m.latestVersion}` : '—', String(m.versions.length), aliases(m.aliases)])));
    });
  models
    .command('show <model>')
    .description('every version of a model with its run, metrics and aliases')
    .addOption(registryOption())
    .addOption(jsonOption())
    .action(async (name: string, options: { registry?: string; json?: boolean }) => {
      const model = await registryClient(options.registry).getModel(name);
      if (options.json) return printJson(model);
      console.log(`model ${model.name}, created ${model.createdAt}`);
      console.log(
        formatTable(
          ['VERSION', 'FORMAT', 'METRIC', 'ORIGIN', 'ALIASES', 'CREATED'],
          model.versions.map((v) => [`v${v.version}`, v.format, versionMetric(v), versionOrigin(v), v.aliases.join(', ') || '—', v.createdAt]),
        ),
      );
    });
  models.addCommand(modelsImportCommand());
  models.addCommand(aliasCommand());
  return models;
}

function aliasCommand(): Command {
  const alias = new Command('alias').description('point aliases (production, staging, …) at versions').exitOverride();
  alias
    .command('set <model> <alias> <version>')
    .description('set or move an alias; protected aliases need a token with promote:<alias>')
    .addOption(registryOption())
    .addOption(tokenOption())
    .addOption(jsonOption())
    .action(async (model: string, name: string, version: string, options: { registry?: string; token?: string; json?: boolean }) => {
      const number = Number(version);
      if (!Number.isInteger(number) || number < 1) throw new CliError(`version must be a positive whole number, got "${version}"`, EXIT.usage);
      const target = await registryClient(options.registry, options.token).setAlias(model, name, number);
      if (options.json) return printJson(target);
      console.log(`${model}@${name} → v${target.version} (${versionMetric(target)}, ${versionOrigin(target)})`);
    });
  alias
    .command('rm <model> <alias>')
    .description('delete an alias')
    .addOption(registryOption())
    .addOption(tokenOption())
    .action(async (model: string, name: string, options: { registry?: string; token?: string }) => {
      await registryClient(options.registry, options.token).deleteAlias(model, name);
      console.log(`${model}@${name} deleted`);
    });
  alias
    .command('history <model> <alias>')
    .description('who moved the alias, when, from which version to which')
    .addOption(registryOption())
    .addOption(jsonOption())
    .action(async (model: string, name: string, options: { registry?: string; json?: boolean }) => {
      const entries = await registryClient(options.registry).aliasHistory(model, name);
      if (options.json) return printJson(entries);
      const version = (value: number | null) => (value === null ? '—' : `v${value}`);
      console.log(formatTable(['WHEN', 'WHO', 'FROM', 'TO'], entries.map((entry) => [entry.at, entry.actor, version(entry.fromVersion), version(entry.toVersion)])));
    });
  return alias;
}
