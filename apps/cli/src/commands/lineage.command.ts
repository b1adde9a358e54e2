import { headlineMetric } from '../metrics-format';
import { isImportedVersion, type ModelLineage } from '@slipway/contracts';
import { Command } from 'commander';
import { CliError, EXIT } from '../cli.error';
import { formatDuration } from '../run-format';
import { jsonOption, printJson, registryClient, registryOption } from '../registry-option';

const VERSION_NUMBER = /^[1-9][0-9]*$/;

export function lineageCommand(): Command {
  return new Command('lineage')
    .exitOverride()
    .description('where a model version came from: dataset digest → prepare → train → version → where it is served')
    .argument('<model@alias-or-version>', 'e.g. iris@production or iris@3')
    .addOption(registryOption())
    .addOption(jsonOption())
    .action(async (reference: string, options: { registry?: string; json?: boolean }) => {
      const [model, target] = reference.split('@');
      if (!model || !target) throw new CliError(`"${reference}" is not <model>@<alias-or-version>, e.g. iris@production`, EXIT.usage);
      const client = registryClient(options.registry);
      const lineage = VERSION_NUMBER.test(target) ? await client.versionLineage(model, Number(target)) : await client.aliasLineage(model, target);
      if (options.json) return printJson(lineage);
      console.log(formatLineage(lineage));
    });
}

function formatLineage(lineage: ModelLineage): string {
  const step = (name: string, value: ModelLineage['prepare']) => {
    if (!value) return `${name} (record gone)`;
    const took = value.startedAt && value.finishedAt ? ` in ${formatDuration(Date.parse(value.finishedAt) - Date.parse(value.startedAt))}` : '';
    return `${name} ${value.status}${took}${value.finishedAt ? `, ${value.finishedAt}` : ''}`;
  };
  const { version } = lineage;
  if (isImportedVersion(version)) {
    const { source } = version;
    return [
      `imported  ${source.fileName} (${source.sha256}), by ${source.importedBy} at ${source.importedAt}${source.triton ? `, Triton model ${source.triton.model} version ${source.triton.version}` : ''}`,
      `  └─ ${version.model} v${version.version}: ${version.format}`,
      `     └─ served as ${servedAs(lineage)}`,
    ].join('\n');
  }
  return [
    `dataset   ${lineage.dataset?.digest ?? 'unknown'}`,
    `  └─ run  ${lineage.run ? `${lineage.run.id} (${lineage.run.pipelineName}, experiment ${lineage.run.experiment}, ${lineage.run.status})` : 'record gone'}`,
    `     ├─ ${step('prepare', lineage.prepare)}`,
    `     └─ ${step('train', lineage.train)} on ${version.backend}`,
    `        └─ ${version.model} v${version.version}: ${headlineMetric(version.metrics)}`,
    `           └─ served as ${servedAs(lineage)}`,
  ].join('\n');
}

function servedAs(lineage: ModelLineage): string {
  return lineage.servedAs.length > 0 ? lineage.servedAs.join(', ') : 'nothing (no alias points here)';
}
