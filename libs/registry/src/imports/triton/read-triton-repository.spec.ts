import { TritonRepositoryError } from '../../errors/triton-repository.error';
import { fixtureFiles, fixtureText } from './fixtures/fixture-files';
import { isTritonRepository } from '@slipway/contracts';
import { readTritonRepository } from './read-triton-repository';
import type { RepositoryFile } from './triton-model';

const text = (path: string, content: string): RepositoryFile => ({ path, bytes: new TextEncoder().encode(content) });
// The reader never opens an ONNX file (the runtime reads its signature later), so any bytes stand in for one.
const onnx = (path: string): RepositoryFile => ({ path, bytes: Uint8Array.of(8, 7, 18, 4) });

/** The fixture repository, with the ONNX files its configs name. */
function fixtureRepository(): RepositoryFile[] {
  return [
    ...fixtureFiles('repository'),
    onnx('simple/1/model.onnx'),
    onnx('iris_xgboost/1/model.onnx'),
    onnx('iris_sklearn/3/model.onnx'),
    onnx('diabetes_gbr/1/gbr.onnx'),
    onnx('diabetes_gbr/2/gbr.onnx'),
    onnx('diabetes_gbr/10/gbr.onnx'),
  ];
}

function problemsOf(files: RepositoryFile[]): readonly string[] {
  try {
    readTritonRepository(files);
  } catch (error) {
    if (error instanceof TritonRepositoryError) return error.problems;
    throw error;
  }
  throw new Error('readTritonRepository accepted the repository');
}

const simpleConfig = fixtureText('repository/simple/config.pbtxt');
const simpleWith = (config: string, ...files: RepositoryFile[]) => [text('simple/config.pbtxt', config), ...files];

describe('readTritonRepository', () => {
  it('reads every model of a repository, with the datatypes, dims and batching of its config', () => {
    const models = readTritonRepository(fixtureRepository());
    expect(models.map(({ versions, ...config }) => config)).toEqual([
      {
        name: 'diabetes_gbr',
        maxBatchSize: 8,
        inputs: [{ name: 'X', datatype: 'FP32', dims: [10] }],
        outputs: [{ name: 'variable', datatype: 'FP32', dims: [1] }],
        dynamicBatching: {},
      },
      {
        name: 'iris_sklearn',
        maxBatchSize: 16,
        inputs: [{ name: 'X', datatype: 'FP32', dims: [4] }],
        outputs: [{ name: 'probabilities', datatype: 'FP32', dims: [3] }],
        dynamicBatching: { maxQueueDelayMicroseconds: 100, preferredBatchSizes: [4, 8] },
      },
      {
        name: 'iris_tfjs',
        maxBatchSize: 32,
        inputs: [{ name: 'dense_input', datatype: 'FP32', dims: [4] }],
        outputs: [{ name: 'dense_1', datatype: 'FP32', dims: [3] }],
      },
      {
        name: 'iris_xgboost',
        maxBatchSize: 0,
        inputs: [{ name: 'features', datatype: 'FP32', dims: [-1, 4] }],
        outputs: [
          { name: 'label', datatype: 'INT64', dims: [-1] },
          { name: 'probabilities', datatype: 'FP32', dims: [-1, 3] },
        ],
      },
      {
        name: 'simple',
        maxBatchSize: 8,
        inputs: [
          { name: 'INPUT0', datatype: 'INT32', dims: [16] },
          { name: 'INPUT1', datatype: 'INT32', dims: [16] },
        ],
        outputs: [
          { name: 'OUTPUT0', datatype: 'INT32', dims: [16] },
          { name: 'OUTPUT1', datatype: 'INT32', dims: [16] },
        ],
      },
    ]);
  });

  it('makes every numeric folder a version, in numeric order, with its format and files relative to it', () => {
    const models = readTritonRepository(fixtureRepository());
    const versions = Object.fromEntries(
      models.map((model) => [model.name, model.versions.map(({ version, format, modelFile, files }) => ({ version, format, modelFile, files: files.map(({ path }) => path) }))]),
    );
    expect(versions).toEqual({
      diabetes_gbr: [
        { version: 1, format: 'onnx', modelFile: 'gbr.onnx', files: ['gbr.onnx'] },
        { version: 2, format: 'onnx', modelFile: 'gbr.onnx', files: ['gbr.onnx'] },
        { version: 10, format: 'onnx', modelFile: 'gbr.onnx', files: ['gbr.onnx'] },
      ],
      iris_sklearn: [{ version: 3, format: 'onnx', modelFile: 'model.onnx', files: ['model.onnx'] }],
      iris_tfjs: [
        { version: 1, format: 'tfjs-layers', modelFile: 'model.json', files: ['group1-shard1of1.bin', 'model.json'] },
        { version: 2, format: 'tfjs-graph', modelFile: 'model.json', files: ['group1-shard1of2.bin', 'group1-shard2of2.bin', 'model.json'] },
      ],
      iris_xgboost: [{ version: 1, format: 'onnx', modelFile: 'model.onnx', files: ['model.onnx'] }],
      simple: [{ version: 1, format: 'onnx', modelFile: 'model.onnx', files: ['model.onnx'] }],
    });
    const shard = models.find((model) => model.name === 'iris_tfjs')?.versions[0].files[0];
    expect(new TextDecoder().decode(shard?.bytes)).toBe('not real weights');
  });

  it('ignores what Triton ignores: files at the top or in a model folder, non-numeric and zero-led folders', () => {
    const models = readTritonRepository(
      simpleWith(simpleConfig, text('README.md', '# models'), text('simple/labels.txt', 'a'), onnx('simple/1/model.onnx'), onnx('simple/backup/model.onnx'), onnx('simple/02/model.onnx'), onnx('simple/0/model.onnx')),
    );
    expect(models.map(({ name, versions }) => ({ name, versions: versions.map(({ version }) => version) }))).toEqual([{ name: 'simple', versions: [1] }]);
  });

  it('takes the folder name for a config without one', () => {
    const [model] = readTritonRepository([text('unnamed/config.pbtxt', simpleConfig.replace('name: "simple"', '')), onnx('unnamed/1/model.onnx')]);
    expect(model.name).toBe('unnamed');
  });

  it('refuses the whole repository, listing the problems of every model at once', () => {
    const files = [
      text('densenet/config.pbtxt', simpleConfig.replace('name: "simple"', 'name: "other"')),
      onnx('densenet/1/model.onnx'),
      ...fixtureRepository().map((file) => (file.path === 'iris_xgboost/1/model.onnx' ? text('iris_xgboost/1/model.onxx', '') : file)),
    ];
    const attempt = () => readTritonRepository(files);
    expect(attempt).toThrow(TritonRepositoryError);
    expect(attempt).toThrow('the Triton model repository has 2 problems:\n- densenet/config.pbtxt: name "other" must equal the folder name "densenet"\n- iris_xgboost/1/: no model.onnx or model.json');
  });

  it.each([
    ['a version folder without a model', simpleWith(simpleConfig, text('simple/1/notes.txt', '')), 'simple/1/: no model.onnx or model.json'],
    ['a version folder holding both kinds', simpleWith(simpleConfig, onnx('simple/1/model.onnx'), text('simple/1/model.json', '{}')), 'simple/1/: holds both model.onnx and model.json; keep one model per version'],
    [
      'default_model_filename, not model.onnx',
      simpleWith(`${simpleConfig}\ndefault_model_filename: "simple.onnx"`, onnx('simple/1/model.onnx')),
      'simple/1/: no simple.onnx or model.json',
    ],
    ['a model folder without versions', simpleWith(simpleConfig, text('simple/labels.txt', '')), 'simple/: no version folder (a numeric sub-folder such as simple/1/)'],
    ['a model folder without config.pbtxt', [text('simple/config.pbtxt', simpleConfig), onnx('simple/1/model.onnx'), onnx('auto/1/model.onnx')], 'auto/: no config.pbtxt (Slipway does not auto-complete a configuration)'],
    ['a config.pbtxt that is not UTF-8', [{ path: 'simple/config.pbtxt', bytes: Uint8Array.of(0xff, 0xfe) }, onnx('simple/1/model.onnx')], 'simple/config.pbtxt: is not UTF-8 text'],
    ['a config that does not parse', simpleWith('name: "simple"\nmax_batch_size: 8\ninput [ { name: "x" ', onnx('simple/1/model.onnx')), 'simple/config.pbtxt: unexpected end of input, expected "}"'],
    ['a path climbing out of the repository', [...simpleWith(simpleConfig, onnx('simple/1/model.onnx')), onnx('simple/1/../../etc/model.onnx')], `"simple/1/../../etc/model.onnx": is not a '/'-separated path inside the repository`],
    ['an absolute path', [...simpleWith(simpleConfig, onnx('simple/1/model.onnx')), onnx('/simple/2/model.onnx')], `"/simple/2/model.onnx": is not a '/'-separated path inside the repository`],
    [
      'an ONNX model under another platform',
      simpleWith(simpleConfig.replace('platform: "onnxruntime_onnx"', 'platform: "tensorflow_savedmodel"'), onnx('simple/1/model.onnx')),
      'simple/config.pbtxt: platform "tensorflow_savedmodel" cannot run simple/1/model.onnx, an ONNX model; use platform "onnxruntime_onnx" or backend "onnxruntime"',
    ],
    [
      'a python backend',
      simpleWith(simpleConfig.replace('platform: "onnxruntime_onnx"', 'backend: "python"'), onnx('simple/1/model.onnx')),
      'simple/config.pbtxt: backend "python" cannot run simple/1/model.onnx, an ONNX model; use platform "onnxruntime_onnx" or backend "onnxruntime"',
    ],
    [
      'a TensorFlow.js model under the ONNX platform',
      simpleWith(simpleConfig, ...fixtureFiles('repository').filter(({ path }) => path.startsWith('iris_tfjs/1/')).map(({ path, bytes }) => ({ path: path.replace('iris_tfjs', 'simple'), bytes }))),
      'simple/config.pbtxt: platform "onnxruntime_onnx" cannot run simple/1/model.json, a TensorFlow.js model; Triton has no backend for it, so leave platform and backend unset',
    ],
    [
      'a TensorFlow.js model missing a weight shard',
      fixtureFiles('repository').filter(({ path }) => path.startsWith('iris_tfjs/') && path !== 'iris_tfjs/2/group1-shard2of2.bin'),
      'iris_tfjs/2/model.json: weight file "group1-shard2of2.bin" is missing',
    ],
    ['a model.json that is not JSON', [text('iris_tfjs/config.pbtxt', fixtureText('repository/iris_tfjs/config.pbtxt')), text('iris_tfjs/1/model.json', '{ "format": ')], 'iris_tfjs/1/model.json: is not JSON: '],
  ])('refuses %s', (_case, files, problem) => {
    const problems = problemsOf(files);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it('refuses files with no model folder in them', () => {
    expect(() => readTritonRepository([text('README.md', '')])).toThrow('no model folder with a config.pbtxt (<model>/config.pbtxt) in the repository');
  });
});

describe('isTritonRepository', () => {
  it('tells a repository (some <model>/config.pbtxt) from a plain model folder', () => {
    expect(isTritonRepository(fixtureRepository())).toBe(true);
    expect(isTritonRepository([{ path: 'model.onnx' }])).toBe(false);
    expect(isTritonRepository([{ path: 'config.pbtxt' }, { path: '1/model.onnx' }])).toBe(false);
    expect(isTritonRepository([{ path: 'models/iris/config.pbtxt' }])).toBe(false);
    expect(isTritonRepository([{ path: '../config.pbtxt' }])).toBe(false);
  });
});
