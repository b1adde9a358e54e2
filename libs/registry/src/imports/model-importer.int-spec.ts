import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driftReferenceSchema, importedModelVersionSchema, MEDIA_TYPES, modelFilesManifestSchema, type Principal } from '@slipway/contracts';
import { ModelFormatError, OnnxModel, TfjsGraphModel, TfjsLayersModel } from '@slipway/model-runtimes';
import { FileArtifactStore } from '@slipway/storage';
import { AuthenticationRequiredError } from '@slipway/service-kit';
import { startTestPostgres, type TestPostgres } from '@slipway/testing';
import { AliasProtection } from '../auth/alias-protection';
import { ModelImportError } from '../errors/model-import.error';
import { TritonRepositoryError } from '../errors/triton-repository.error';
import { manualClock, TEST_DATABASE_KINDS } from '../fixtures/test-database';
import { openTestStores, type TestStores } from '../fixtures/test-stores';
import { ModelRegistryService } from '../models/model-registry.service';
import { ModelImporter, type ImportRequest } from './model-importer';
import { fixtureBytes } from './triton/fixtures/fixture-files';
import type { RepositoryFile } from './triton/triton-model';

// The real models the runtimes are tested on.
const RUNTIME_FIXTURES = join(__dirname, '../../../model-runtimes/src');
const onnxFixture = (name: string) => readFile(join(RUNTIME_FIXTURES, 'onnx/fixtures', name));
const tfjsFolder = async (name: string): Promise<RepositoryFile[]> => {
  const folder = join(RUNTIME_FIXTURES, 'tfjs/fixtures', name);
  return Promise.all((await readdir(folder)).sort().map(async (file) => ({ path: `${name}/${file}`, bytes: await readFile(join(folder, file)) })));
};
const text = (path: string, content: string): RepositoryFile => ({ path, bytes: new TextEncoder().encode(content) });
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

const XGBOOST_CONFIG = `
platform: "onnxruntime_onnx"
max_batch_size: 0
input [ { name: "features", data_type: TYPE_FP32, dims: [ -1, 4 ] } ]
output [ { name: "probabilities", data_type: TYPE_FP32, dims: [ -1, 3 ] } ]
`;
const DIABETES_CONFIG = `
backend: "onnxruntime"
default_model_filename: "gbr.onnx"
max_batch_size: 8
input [ { name: "X" data_type: TYPE_FP32 dims: [ 10 ] } ]
output [ { name: "variable" data_type: TYPE_FP32 dims: [ 1 ] } ]
dynamic_batching { max_queue_delay_microseconds: 250 }
`;

const CI: Principal = { name: 'ci', scopes: ['promote:production'], source: 'issued' };

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(() => postgres.stop());

describe.each(TEST_DATABASE_KINDS)('ModelImporter on a %s database', (kind) => {
  let stores: TestStores;
  let registry: ModelRegistryService;
  let artifactsDir: string;
  let importer: ModelImporter;
  const time = manualClock();

  beforeEach(async () => {
    stores = await openTestStores(kind, time.clock, postgres);
    registry = new ModelRegistryService(stores.models, { clock: time.clock });
    artifactsDir = await mkdtemp(join(tmpdir(), 'slipway-import-'));
    const protection = new AliasProtection({ protectedAliases: ['production'] });
    importer = new ModelImporter(registry, new FileArtifactStore(artifactsDir), protection, { clock: time.clock });
  });

  afterEach(async () => {
    await stores.close();
    await rm(artifactsDir, { recursive: true, force: true });
  });

  const request = (files: RepositoryFile[], fields: ImportRequest['fields'] = {}, principal?: Principal): ImportRequest => ({ files, fields, principal });
  const storedFiles = async () => (await readdir(artifactsDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());

  /** A Triton repository of two real ONNX models, with configs the test writes. */
  async function tritonRepository(xgboostConfig = XGBOOST_CONFIG): Promise<RepositoryFile[]> {
    return [
      text('models/iris-xgb/config.pbtxt', xgboostConfig),
      { path: 'models/iris-xgb/1/model.onnx', bytes: await onnxFixture('xgboost-iris.onnx') },
      text('models/diabetes/config.pbtxt', DIABETES_CONFIG),
      { path: 'models/diabetes/3/gbr.onnx', bytes: await onnxFixture('sklearn-diabetes-gbr.onnx') },
      text('models/diabetes/labels.txt', 'not a version'),
    ];
  }

  it('imports an ONNX file under any name as model.onnx, with the signature the model declares', async () => {
    const bytes = await onnxFixture('sklearn-iris-pipeline.onnx');
    const onnx = await OnnxModel.load(bytes, 'expected');
    const expected = { inputs: onnx.signature.inputs, outputs: onnx.signature.outputs, classLabels: onnx.classLabels };
    await onnx.dispose();

    const { versions, created } = await importer.importModel('iris-onnx', request([{ path: 'iris.onnx', bytes }], { description: 'sklearn', tags: { team: 'ml' } }, CI));

    expect(created).toBe(true);
    const [version] = versions;
    expect(importedModelVersionSchema.parse(version)).toEqual(version);
    expect(version).toMatchObject({ model: 'iris-onnx', version: 1, format: 'onnx', description: 'sklearn', tags: { team: 'ml' }, signature: expected });
    expect(version?.source).toEqual({ fileName: 'iris.onnx', sha256: sha256(bytes), importedBy: 'ci', importedAt: time.clock().toISOString() });
    const store = new FileArtifactStore(artifactsDir);
    const manifest = await store.getJson(version?.modelArtifact.digest as string, modelFilesManifestSchema);
    expect(manifest.files).toEqual([{ path: 'model.onnx', digest: sha256(bytes), size: bytes.byteLength }]);
    expect(Buffer.compare(await store.get(sha256(bytes)), bytes)).toBe(0);
  });

  it('imports a TensorFlow.js Layers folder with its shards, with the signature the model declares', async () => {
    const files = await tfjsFolder('keras2-mlp');
    const layers = await TfjsLayersModel.load(new Map(files.map(({ path, bytes }) => [path.slice('keras2-mlp/'.length), bytes])), 'expected');
    const expected = layers.signature;
    await layers.dispose();

    const [version] = (await importer.importModel('keras', request(files))).versions;

    expect(version).toMatchObject({ format: 'tfjs-layers', signature: expected, source: { fileName: 'keras2-mlp', importedBy: 'api' } });
    const manifest = await new FileArtifactStore(artifactsDir).getJson(version?.modelArtifact.digest as string, modelFilesManifestSchema);
    expect(manifest.files.map((file) => file.path)).toEqual(['group1-shard1of1.bin', 'model.json']);
  });

  it('imports every model of a Triton repository with the outputs and batching its config serves, and points the alias at each', async () => {
    const { versions } = await importer.importRepository(request(await tritonRepository(), { alias: 'staging' }));

    expect(versions.map((v) => [v.model, v.version, v.source.triton, v.aliases])).toEqual([
      ['iris-xgb', 1, { model: 'iris-xgb', version: 1 }, ['staging']],
      ['diabetes', 1, { model: 'diabetes', version: 3 }, ['staging']],
    ]);
    const [xgboost, diabetes] = versions;
    expect(xgboost?.signature.outputs.map((output) => output.name)).toEqual(['probabilities']);
    expect(xgboost?.batching).toEqual({ maxBatchSize: 0 });
    expect(diabetes?.batching).toEqual({ maxBatchSize: 8, dynamic: { maxQueueDelayMicroseconds: 250 } });
    expect(diabetes?.source.fileName).toBe('models');
    const manifest = await new FileArtifactStore(artifactsDir).getJson(diabetes?.modelArtifact.digest as string, modelFilesManifestSchema);
    expect(manifest.files.map((file) => file.path)).toEqual(['model.onnx']);
    expect((await registry.listModels()).map((model) => [model.name, model.aliases])).toEqual([
      ['diabetes', { staging: 1 }],
      ['iris-xgb', { staging: 1 }],
    ]);
  });

  it('answers the same version, created false, when the same files are imported again', async () => {
    const bytes = await onnxFixture('xgboost-iris.onnx');
    const first = await importer.importModel('xgb', request([{ path: 'xgb.onnx', bytes }]));
    const again = await importer.importModel('xgb', request([{ path: 'renamed.onnx', bytes }]));

    expect(again.created).toBe(false);
    expect(again.versions.map((v) => v.version)).toEqual(first.versions.map((v) => v.version));
    expect((await registry.getModel('xgb')).versions).toHaveLength(1);
  });

  it('refuses a file that is not a model and registers nothing', async () => {
    const garbage = new Uint8Array(createHash('sha512').update('not a model').digest());
    await expect(importer.importModel('junk', request([{ path: 'junk.onnx', bytes: garbage }]))).rejects.toThrow(ModelFormatError);
    await expect(importer.importModel('junk', request([{ path: 'junk.bin', bytes: garbage }]))).rejects.toThrow(/cannot tell the format of "junk.bin"/);
    expect(await registry.listModels()).toEqual([]);
    expect(await storedFiles()).toEqual([]);
  });

  it('refuses a whole repository when one config contradicts its model, registering neither model', async () => {
    const contradicting = XGBOOST_CONFIG.replace('TYPE_FP32, dims: [ -1, 3 ]', 'TYPE_INT64, dims: [ -1, 3 ]');
    const refusal = importer.importRepository(request(await tritonRepository(contradicting)));
    await expect(refusal).rejects.toThrow(TritonRepositoryError);
    await expect(refusal).rejects.toThrow(/iris-xgb\/config.pbtxt: output "probabilities" is TYPE_INT64 but iris-xgb\/1\/model.onnx gives FP32/);
    expect(await registry.listModels()).toEqual([]);
  });

  it('refuses a protected alias without a token before anything is stored', async () => {
    const bytes = await onnxFixture('xgboost-iris.onnx');
    await expect(importer.importModel('xgb', request([{ path: 'xgb.onnx', bytes }], { alias: 'production' }))).rejects.toThrow(AuthenticationRequiredError);
    await expect(importer.importRepository(request(await tritonRepository(), { alias: 'production' }))).rejects.toThrow(AuthenticationRequiredError);
    expect(await storedFiles()).toEqual([]);
    expect(await registry.listModels()).toEqual([]);

    const [version] = (await importer.importModel('xgb', request([{ path: 'xgb.onnx', bytes }], { alias: 'production' }, CI))).versions;
    expect(version?.aliases).toEqual(['production']);
    expect((await registry.aliasHistory('xgb', 'production')).map((entry) => entry.actor)).toEqual(['ci']);
  });

  it('imports a TensorFlow.js graph model with the signature its runtime reads', async () => {
    const files = await tfjsFolder('graph-mlp');
    const [version] = (await importer.importModel('graph', request(files))).versions;
    const runtime = await TfjsGraphModel.load(new Map(files.map((file) => [file.path.slice('graph-mlp/'.length), file.bytes])), 'graph-mlp');
    expect(version).toMatchObject({ format: 'tfjs-graph', signature: { inputs: runtime.signature.inputs, outputs: runtime.signature.outputs } });
    runtime.dispose();
  });

  it('refuses a graph model.json the runtime cannot load, paths that climb out, and bad model names', async () => {
    const graph = { path: 'graph/model.json', bytes: fixtureBytes('model-json/graph-model-without-format.json') };
    await expect(importer.importModel('graph', request([graph]))).rejects.toThrow(ModelFormatError);
    await expect(importer.importModel('x', request([{ path: '../x.onnx', bytes: new Uint8Array(1) }]))).rejects.toThrow(ModelImportError);
    await expect(importer.importModel('Iris_X', request([{ path: 'x.onnx', bytes: new Uint8Array(1) }]))).rejects.toThrow(/model names are lowercase/);
    expect(await registry.listModels()).toEqual([]);
  });

  describe('with reference rows for drift monitoring', () => {
    const IRIS_ROWS = ['5.1,3.5,1.4,0.2', '7,3.2,4.7,1.4', '6.3,3.3,6,2.5', '4.9,3,1.4,0.2', '6.4,3.2,4.5,1.5'];
    const irisModel = async () => [{ path: 'iris.onnx', bytes: await onnxFixture('sklearn-iris-pipeline.onnx') }];
    const withReference = async (csv: string, fields: ImportRequest['fields'] = {}): Promise<ImportRequest> => ({ ...request(await irisModel(), fields), reference: text('held-out.csv', csv) });

    it("stores per column the reference the model's input X logs, taking k columns of any names in order", async () => {
      const [version] = (await importer.importModel('iris-onnx', await withReference(['sepal_length,sepal_width,petal_length,petal_width', ...IRIS_ROWS].join('\n')))).versions;

      expect(version?.driftReference?.mediaType).toBe(MEDIA_TYPES.driftReference);
      expect(await registry.getVersion('iris-onnx', 1)).toMatchObject({ driftReference: version?.driftReference });
      const reference = await new FileArtifactStore(artifactsDir).getJson(version?.driftReference?.digest as string, driftReferenceSchema);
      expect(reference.rows).toBe(5);
      expect(reference.features.map((feature) => feature.name)).toEqual(['X[0]', 'X[1]', 'X[2]', 'X[3]']);
      // X is FP32, and served values are logged as float32: the reference is rounded so, or ties would shift bins.
      expect(reference.features[2]).toMatchObject({ kind: 'numeric', statistics: { count: 5, min: Math.fround(1.4), max: 6, quantiles: expect.arrayContaining([Math.fround(1.4)]), missing: 0 } });
    });

    it('takes columns named as serving logs the features, any subset in any order', async () => {
      const [version] = (await importer.importModel('iris-onnx', await withReference('X[2],X[0]\n1.4,5.1\n4.7,7\n'))).versions;
      const reference = await new FileArtifactStore(artifactsDir).getJson(version?.driftReference?.digest as string, driftReferenceSchema);
      expect(reference.features.map((feature) => [feature.name, feature.kind === 'numeric' && feature.statistics.max])).toEqual([
        ['X[2]', Math.fround(4.7)],
        ['X[0]', 7],
      ]);
    });

    it.each([
      ['a column the model does not log', 'X[0],species\n5.1,setosa\n', 'reference held-out.csv: column "species" is not a feature of the model; its columns must be among X[0], X[1], X[2], X[3], or exactly 4 columns of any names, taken in that order'],
      ['text for the FP32 input', 'X[0],X[1]\nsetosa,3\n', 'reference held-out.csv: column "X[0]" holds text ("setosa"), but the model\'s input is FP32; give numbers'],
      ['a header without rows', 'X[0],X[1]\n', 'reference held-out.csv has a header row but no data rows'],
      ['an empty file', '', 'reference held-out.csv is empty'],
      ['a row of the wrong length', 'X[0],X[1]\n1,2\n3\n', 'reference held-out.csv, line 3'],
    ])('refuses %s, naming it, and stores and registers nothing', async (_case, csv, message) => {
      const refusal = importer.importModel('iris-onnx', await withReference(csv));
      await expect(refusal).rejects.toThrow(ModelImportError);
      await expect(refusal).rejects.toThrow(message);
      expect(await registry.listModels()).toEqual([]);
      expect(await storedFiles()).toEqual([]);
    });

    it('refuses reference rows for a whole Triton repository, and a different reference for files imported before', async () => {
      const repository = { ...request(await tritonRepository()), reference: text('rows.csv', 'X[0]\n1\n') };
      await expect(importer.importRepository(repository)).rejects.toThrow(/reference rows belong to one model/);

      await importer.importModel('iris-onnx', request(await irisModel()));
      const again = importer.importModel('iris-onnx', await withReference('X[0]\n5.1\n'));
      await expect(again).rejects.toThrow('reference: these files were imported before as iris-onnx v1 with no reference, which a repeated import does not change');
      expect((await registry.getModel('iris-onnx')).versions.map((version) => [version.version, 'driftReference' in version])).toEqual([[1, false]]);
    });
  });
});
