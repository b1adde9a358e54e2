import { Command } from 'commander';
import { formatTable } from '../run-format';
import { jsonOption, printJson, registryClient, registryOption } from '../registry-option';

export function modelsCommand(): Command {
  const models = new Command('models').description('inspect registered models');
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
          ['VERSION', 'TEST ACC', 'BACKEND', 'RUN', 'ALIASES', 'CREATED'],
          model.versions.map((v) => [`v${v.version}`, v.metrics.testAccuracy.toFixed(4), v.backend, v.runId, v.aliases.join(', ') || '—', v.createdAt]),
        ),
      );
    });
  return models;
}
