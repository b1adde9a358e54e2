import { IMPORTED_MODEL_FORMATS, isTritonRepository, type ImportedModelFormat, type Tags } from '@slipway/contracts';
import { Command, Option } from 'commander';
import { CliError, EXIT } from '../cli.error';
import { insideFolder, readImportFiles, readReferenceFile } from '../import-files';
import { formatImportedVersion } from '../imported-version-format';
import { jsonOption, printJson, registryClient, registryOption, tokenOption } from '../registry-option';

interface ImportCommandOptions {
  name?: string;
  format?: ImportedModelFormat;
  alias?: string;
  description?: string;
  tag: Tags;
  reference?: string;
  registry?: string;
  token?: string;
  json?: boolean;
}

/** `slipway models import <file-or-folder>`: an ONNX or TensorFlow.js Layers model, or a whole Triton model repository. */
export function modelsImportCommand(): Command {
  return new Command('import')
    .description('import a model trained elsewhere (an ONNX file, a TensorFlow.js Layers folder) as a new version, or every model of a Triton model repository')
    .argument('<file-or-folder>')
    .option('--name <model>', 'the model to add the version to (not for a Triton repository, whose folders name its models)')
    .addOption(new Option('--format <format>', 'the model format (default: read from the files)').choices(IMPORTED_MODEL_FORMATS))
    .option('--alias <alias>', 'point this alias at the imported version (protected aliases need --token)')
    .option('--description <text>', 'description of the version')
    .option('--tag <key=value>', 'tag the version; repeatable', collectTag, {})
    .option(
      '--reference <file.csv>',
      'reference rows drift monitoring compares the served inputs with (e.g. the training or validation inputs): a CSV whose columns are named as serving logs the features, X[0] … X[k-1] for a [N, k] input X and the input\'s name for a [N] one; for a model of one [N, k] input, any k columns, taken in order as X[0] … X[k-1]',
    )
    .addOption(registryOption())
    .addOption(tokenOption())
    .addOption(jsonOption())
    .exitOverride()
    .action(async (path: string, options: ImportCommandOptions) => {
      const files = await readImportFiles(path);
      const repository = isTritonRepository(insideFolder(files));
      if (repository && options.name !== undefined) throw new CliError(`${path} is a Triton model repository, whose folders name its models: leave out --name`, EXIT.usage);
      if (repository && options.format !== undefined) throw new CliError(`${path} is a Triton model repository, whose files tell each model's format: leave out --format`, EXIT.usage);
      if (repository && options.reference !== undefined) throw new CliError(`${path} is a Triton model repository: --reference belongs to one model; import that model alone with --name`, EXIT.usage);
      if (!repository && options.name === undefined) throw new CliError(`--name <model> is needed: ${path} is one model, not a Triton model repository (<model>/config.pbtxt)`, EXIT.usage);
      const client = registryClient(options.registry, options.token);
      const fields = { alias: options.alias, description: options.description, tags: Object.keys(options.tag).length > 0 ? options.tag : undefined };
      const reference = options.reference === undefined ? undefined : await readReferenceFile(options.reference);
      const outcome =
        options.name === undefined ? await client.importTritonRepository(files, fields) : await client.importModel(options.name, files, { ...fields, format: options.format, reference });
      if (options.json) return printJson({ versions: outcome.versions });
      for (const version of outcome.versions) console.log(formatImportedVersion(version));
      if (!outcome.created) console.log('already imported: the registry holds these files, nothing new was registered');
    });
}

function collectTag(value: string, tags: Tags): Tags {
  const split = value.indexOf('=');
  if (split <= 0) throw new CliError(`--tag takes key=value, got "${value}"`, EXIT.usage);
  return { ...tags, [value.slice(0, split)]: value.slice(split + 1) };
}
