import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importedModelVersionSchema, type ImportedModelVersion } from '@slipway/contracts';
import { CliError, EXIT } from '../cli.error';
import { capturePrintedOutput } from '../testing/printed-output';
import { RegistryStub } from '../testing/registry-stub';
import { modelsCommand } from './models.command';

const KERAS_FOLDER = join(__dirname, '../../../../libs/model-runtimes/src/tfjs/fixtures/keras2-mlp');

const importedVersion = (model: string, created: boolean): ImportedModelVersion =>
  importedModelVersionSchema.parse({
    model,
    version: 3,
    modelArtifact: { digest: `sha256:${'a'.repeat(64)}`, size: 120, mediaType: 'application/vnd.slipway.model-files.v1+json' },
    aliases: created ? ['staging'] : [],
    createdAt: '2025-06-01T12:00:00.000Z',
    format: 'tfjs-layers',
    signature: { inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }], outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }] },
    source: { fileName: 'keras2-mlp', sha256: `sha256:${'b'.repeat(64)}`, importedBy: 'api', importedAt: '2025-06-01T12:00:00.000Z' },
  });

describe('slipway models import', () => {
  let registry: RegistryStub;
  let url: string;
  let printed: string[];
  let folder: string;
  let created: boolean;

  beforeEach(async () => {
    created = true;
    registry = new RegistryStub(({ method, path }) => {
      const [, model] = /^\/api\/models\/([^/]+)\/versions:import$/.exec(path) ?? [];
      if (method !== 'POST' || model === undefined) return undefined;
      return { status: created ? 201 : 200, body: { versions: [importedVersion(model, created)] } };
    });
    url = await registry.start();
    printed = capturePrintedOutput();
    folder = await mkdtemp(join(tmpdir(), 'slipway-cli-import-'));
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await registry.stop();
    await rm(folder, { recursive: true, force: true });
  });

  const slipwayModels = (...args: string[]) => modelsCommand().parseAsync([...args, '--registry', url], { from: 'user' });

  async function refusal(...args: string[]): Promise<CliError> {
    const error = await slipwayModels(...args).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    if (!(error instanceof CliError)) throw new Error(`expected a CliError, got ${String(error)}`);
    return error;
  }

  it('uploads every file of the folder under its name, skipping dotfiles, with the fields, and prints the version', async () => {
    const model = join(folder, 'keras2-mlp');
    await mkdir(model);
    for (const name of ['model.json', 'group1-shard1of1.bin']) await writeFile(join(model, name), await readFile(join(KERAS_FOLDER, name)));
    await writeFile(join(model, '.DS_Store'), 'finder');

    await slipwayModels('import', model, '--name', 'keras', '--alias', 'staging', '--tag', 'team=ml', '--tag', 'stage=dev');

    const [request] = registry.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/models/keras/versions:import' });
    const body = String(request?.body);
    expect([...body.matchAll(/filename="([^"]+)"/g)].map(([, name]) => name)).toEqual(['keras2-mlp/group1-shard1of1.bin', 'keras2-mlp/model.json']);
    expect(body).toContain('{"team":"ml","stage":"dev"}');
    expect(body).toMatch(/name="alias"\r\n\r\nstaging\r\n/);
    expect(printed).toEqual(['keras v3 (tfjs-layers, inputs features FP32 [-1, 4] → outputs probabilities FP32 [-1, 3]) @staging']);
  });

  it('says so when the registry already held the files', async () => {
    created = false;
    await writeFile(join(folder, 'iris.onnx'), 'bytes');
    await slipwayModels('import', join(folder, 'iris.onnx'), '--name', 'iris');
    expect(printed[1]).toMatch(/^already imported/);
  });

  it('refuses --name for a Triton repository, and a single model without --name, before uploading', async () => {
    await mkdir(join(folder, 'iris', '1'), { recursive: true });
    await writeFile(join(folder, 'iris', 'config.pbtxt'), 'max_batch_size: 0');
    await writeFile(join(folder, 'iris', '1', 'model.onnx'), 'bytes');

    const named = await refusal('import', folder, '--name', 'iris');
    expect(named.exitCode).toBe(EXIT.usage);
    expect(named.message).toContain('leave out --name');
    const unnamed = await refusal('import', join(folder, 'iris', '1'));
    expect(unnamed.message).toContain('--name <model> is needed');
    expect((await refusal('import', join(folder, 'nope'), '--name', 'x')).message).toContain('does not exist');
    expect(registry.requests).toEqual([]);
  });

  it('uploads --reference as the file part named reference, under its own file name', async () => {
    await writeFile(join(folder, 'iris.onnx'), 'bytes');
    await writeFile(join(folder, 'train-inputs.csv'), 'a,b,c,d\n5.1,3.5,1.4,0.2\n');
    await slipwayModels('import', join(folder, 'iris.onnx'), '--name', 'iris', '--reference', join(folder, 'train-inputs.csv'));

    const body = String(registry.requests[0]?.body);
    expect(body).toMatch(/name="file"; filename="iris.onnx"/);
    expect(body).toMatch(/name="reference"; filename="train-inputs.csv"\r\nContent-Type: [^\r]+\r\n\r\na,b,c,d\n5.1,3.5,1.4,0.2\n/);
  });

  it('refuses --reference that is not a file, and for a Triton repository, before uploading', async () => {
    await writeFile(join(folder, 'iris.onnx'), 'bytes');
    expect((await refusal('import', join(folder, 'iris.onnx'), '--name', 'iris', '--reference', join(folder, 'nope.csv'))).message).toContain('is not a file');
    await mkdir(join(folder, 'repo', 'iris', '1'), { recursive: true });
    await writeFile(join(folder, 'repo', 'iris', 'config.pbtxt'), 'max_batch_size: 0');
    await writeFile(join(folder, 'repo', 'iris', '1', 'model.onnx'), 'bytes');
    const repository = await refusal('import', join(folder, 'repo'), '--reference', join(folder, 'iris.onnx'));
    expect(repository.message).toContain('--reference belongs to one model');
    expect(registry.requests).toEqual([]);
  });
});
