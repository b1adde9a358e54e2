import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asNetworkSpec, expandGrid, pipelineSpecSchema, stepInputs, type PipelineSpec, type StepOfKind } from '@slipway/contracts';
import { CliError, EXIT } from './cli.error';
import { loadPipelineFile } from './pipeline-file';

const PIPELINES = join(__dirname, '..', '..', '..', 'pipelines');
const IRIS_JSON = join(PIPELINES, 'iris.pipeline.json');
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

  it('names the line of a DAG mistake the graph check finds: an unknown grid field, an input from a missing step', async () => {
    const path = fixture('bad-dag.pipeline.yaml');
    const text = await readFile(path, 'utf8');
    const error = await loadError(path);
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.message).toMatch(new RegExp(`steps\\.1\\.params\\.grid\\.layers\\.3\\.units[^;]*line ${lineOf(text, 'layers.3.units:')}\\b`));
    expect(error.message).toMatch(new RegExp(`steps\\.2\\.inputs\\.model[^;]*line ${lineOf(text, 'model: trian')}\\b[^;]*"trian"`));
  });

  it('accepts and ignores the "$schema" an editor reads', async () => {
    const path = join(scratch, 'with-schema.pipeline.json');
    const pipeline = JSON.parse(await readFile(IRIS_JSON, 'utf8')) as Record<string, unknown>;
    expect(pipeline['$schema']).toBe('../schemas/pipeline.schema.json');
    delete pipeline['$schema'];
    await writeFile(path, JSON.stringify(pipeline));
    await expect(loadPipelineFile(path)).resolves.toEqual(await loadPipelineFile(IRIS_JSON));
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

/** `from→to` for every input of every step: the DAG's edges. */
function edges(pipeline: PipelineSpec): string[] {
  return pipeline.steps.flatMap((step) => stepInputs(step).map(({ from }) => `${from}→${step.name}`));
}

describe('the pipelines/ folder', () => {
  /** The shape each example is meant to have; a new example needs an entry here. */
  const EXPECTED_EDGES: Record<string, string[]> = {
    'iris.pipeline.json': ['prepare→train', 'train→register', 'register→promote'],
    'iris-grid.pipeline.yaml': ['prepare→train', 'train→evaluate', 'evaluate→register', 'register→promote'],
    'cars-mpg.pipeline.yaml': ['prepare→train', 'train→evaluate', 'evaluate→register', 'register→promote'],
    'penguins.pipeline.yaml': ['prepare→train', 'train→register', 'register→promote'],
    'seattle-weather.pipeline.yaml': ['prepare→train', 'train→evaluate', 'evaluate→register'],
    'forensic-glass.pipeline.yaml': ['prepare→train', 'train→evaluate', 'evaluate→register'],
    'glass-network-or-forest.pipeline.yaml': ['prepare→network', 'prepare→forest', 'network→evaluate', 'forest→evaluate', 'evaluate→register'],
  };

  it('holds only pipelines with an expected shape', async () => {
    expect((await readdir(PIPELINES)).sort()).toEqual(Object.keys(EXPECTED_EDGES).sort());
  });

  it.each(Object.entries(EXPECTED_EDGES))('loads %s as a DAG whose steps come after the steps they read from', async (file, expected) => {
    const pipeline = await loadPipelineFile(join(PIPELINES, file));
    expect(edges(pipeline)).toEqual(expected);
    const position = new Map(pipeline.steps.map((step, i) => [step.name, i]));
    for (const edge of edges(pipeline)) {
      const [from = '', to = ''] = edge.split('→');
      expect(position.get(from)).toBeLessThan(position.get(to) ?? -1);
    }
  });

  it('trains the Iris grid two at a time over learning rate × first-layer width, chooses on validation, registers the best at 0.9 test accuracy, promotes to staging', async () => {
    const pipeline = await loadPipelineFile(join(PIPELINES, 'iris-grid.pipeline.yaml'));
    const train = pipeline.steps.find((step): step is StepOfKind<'train'> => step.kind === 'train');
    if (!train) throw new Error('iris-grid.pipeline.yaml has no train step');
    expect(train.params.maxParallelism).toBe(2);
    const points = expandGrid(train.params.model, train.params.grid);
    expect(points.map(({ model }) => [asNetworkSpec(model).learningRate, asNetworkSpec(model).layers[0]])).toEqual([
      [0.01, expect.objectContaining({ units: 8 })],
      [0.01, expect.objectContaining({ units: 16 })],
      [0.03, expect.objectContaining({ units: 8 })],
      [0.03, expect.objectContaining({ units: 16 })],
    ]);
    // No metric: evaluate chooses on the validation split's figure for the task.
    expect(pipeline.steps.find((step) => step.kind === 'evaluate')?.params).toEqual({});
    expect(pipeline.steps.find((step) => step.kind === 'register')?.when).toEqual({ metric: 'test.accuracy', op: '>=', value: 0.9 });
    expect(pipeline.steps.find((step) => step.kind === 'promote')?.params).toEqual({ alias: 'staging' });
  });
});
