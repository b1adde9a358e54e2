import { fixtureBytes } from './fixtures/fixture-files';
import { readTfjsModelJson } from './tfjs-model-json';

function read(path: string) {
  const problems: string[] = [];
  return { read: readTfjsModelJson(fixtureBytes(path), 'm/1/model.json', problems), problems };
}

describe('readTfjsModelJson', () => {
  it.each([
    ['repository/iris_tfjs/1/model.json', 'tfjs-layers', ['group1-shard1of1.bin']],
    ['repository/iris_tfjs/2/model.json', 'tfjs-graph', ['group1-shard1of2.bin', 'group1-shard2of2.bin']],
    ['model-json/layers-model-without-format.json', 'tfjs-layers', ['weights.bin']],
    ['model-json/keras-model-without-format.json', 'tfjs-layers', []],
    ['model-json/graph-model-without-format.json', 'tfjs-graph', []],
  ])('reads %s as %s, with its weight files', (path, format, weightFiles) => {
    expect(read(path)).toEqual({ read: { format, weightFiles }, problems: [] });
  });

  it.each([
    ['model-json/saved-model-json.json', 'm/1/model.json: format "saved-model" is neither "layers-model" nor "graph-model"'],
    ['model-json/unknown-topology.json', 'm/1/model.json: has no "format", and its modelTopology is neither a Keras model config (model_config, class_name) nor a graph (node)'],
  ])('refuses %s', (path, problem) => {
    expect(read(path)).toEqual({ read: undefined, problems: [problem] });
  });

  it('refuses a model.json whose weightsManifest is not a list of path groups', () => {
    const problems: string[] = [];
    expect(readTfjsModelJson(new TextEncoder().encode('{ "format": "layers-model", "weightsManifest": {} }'), 'm/1/model.json', problems)).toBeUndefined();
    expect(problems).toEqual([expect.stringContaining('m/1/model.json: is not a TensorFlow.js model.json: ')]);
    expect(problems[0]).toContain('weightsManifest');
  });
});
