import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipelineSpecSchema } from '@slipway/contracts';
import { CliError, EXIT } from './cli.error';
import { loadPipelineFile } from './pipeline-file';

const IRIS_JSON = join(__dirname, '..', '..', '..', 'pipelines', 'iris.pipeline.json');
const fixture = (name: string): string => join(__dirname, 'fixtures', name);

/** 1-based number of the first line of the text that contains the fragment. */
function lineOf(text: string, fragment: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(fragment));
  if (index < 0) throw new Error(`fixture has no line containing "${fragment}"`);
  return index + 1;
}

async function loadError(path: string): Promise<CliError> {
  try {
    await loadPipelineFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error(`expected ${path} to be rejected`);
}

describe('loadPipelineFile', () => {
  let scratch: string;

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'slipway-cli-'));
  });

  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('loads the JSON Iris pipeline as the contract parses it', async () => {
    const expected = pipelineSpecSchema.parse(JSON.parse(await readFile(IRIS_JSON, 'utf8')));
    await expect(loadPipelineFile(IRIS_JSON)).resolves.toEqual(expected);
  });

  it('loads the same pipeline written as YAML', async () => {
    await expect(loadPipelineFile(fixture('iris.pipeline.yaml'))).resolves.toEqual(await loadPipelineFile(IRIS_JSON));
  });

  it('fills in the defaults of fields the file leaves out', async () => {
    const path = join(scratch, 'minimal.pipeline.yaml');
    const minimal = {
      name: 'minimal',
      model: { name: 'iris', spec: { layers: [{ type: 'dense', units: 4 }] } },
      dataset: { uri: 'data/iris.csv', labelColumn: 'species' },
    };
    await writeFile(path, JSON.stringify(minimal));
    await expect(loadPipelineFile(path)).resolves.toEqual(pipelineSpecSchema.parse(minimal));
  });

  it('names every bad field of a YAML file by its path and line, as a usage error', async () => {
    const path = fixture('bad-fields.pipeline.yaml');
    const text = await readFile(path, 'utf8');
    const error = await loadError(path);
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(new RegExp(`model\\.spec\\.epochs[^;]*line ${lineOf(text, 'epochs: 0')}\\b`));
    expect(error.message).toMatch(new RegExp(`model\\.spec\\.layers\\.1\\.activation[^;]*line ${lineOf(text, 'activation: sparkle')}\\b`));
  });

  it('names the bad field of a JSON file by its path and line', async () => {
    const pipeline = JSON.parse(await readFile(IRIS_JSON, 'utf8')) as { dataset: { split: { test: number } } };
    pipeline.dataset.split.test = 'a fifth' as unknown as number;
    const text = JSON.stringify(pipeline, null, 2);
    const path = join(scratch, 'bad.pipeline.json');
    await writeFile(path, text);
    const error = await loadError(path);
    expect(error.message).toMatch(new RegExp(`dataset\\.split\\.test[^;]*line ${lineOf(text, '"a fifth"')}\\b`));
  });

  it('names a missing required field by its path', async () => {
    const path = join(scratch, 'no-dataset.pipeline.yaml');
    await writeFile(path, 'name: no-dataset\nmodel:\n  name: iris\n  spec:\n    layers:\n      - type: dense\n        units: 4\n');
    expect((await loadError(path)).message).toMatch(/\bdataset\b/);
  });

  it('rejects a file that is not YAML or JSON as a usage error naming the file', async () => {
    const path = fixture('not-yaml.pipeline.yaml');
    const error = await loadError(path);
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.message).toContain(path);
  });

  it('rejects an empty file as a usage error', async () => {
    const path = join(scratch, 'empty.pipeline.yaml');
    await writeFile(path, '');
    expect((await loadError(path)).exitCode).toBe(EXIT.usage);
  });

  it.each([
    ['a file that does not exist', (dir: string) => join(dir, 'missing.pipeline.yaml')],
    ['a directory', (dir: string) => dir],
  ])('reports %s as a usage error naming the path', async (_what, pathIn) => {
    const path = pathIn(scratch);
    const error = await loadError(path);
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.message).toContain(path);
  });
});
