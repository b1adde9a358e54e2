import { findGraphIssues, topologicalOrder } from './pipeline-graph';
import { pipelineStepSchema, stepInputs, type PipelineStep, type PipelineStepInput } from './pipeline-step.schema';

const model = { layers: [{ type: 'dense' as const, units: 8 }] };
const prepare = (name: string): PipelineStepInput => ({ name, kind: 'prepare', params: { dataset: { uri: 'data/iris.csv', labelColumn: 'species' } } });
const train = (name: string, dataset: string, grid?: Record<string, number[]>): PipelineStepInput => ({
  name,
  kind: 'train',
  inputs: { dataset },
  params: { model, ...(grid === undefined ? {} : { grid }) },
});
const evaluate = (name: string, models: string | string[]): PipelineStepInput => ({ name, kind: 'evaluate', inputs: { models } });
const register = (name: string, from: string): PipelineStepInput => ({ name, kind: 'register', inputs: { model: from }, params: { model: 'iris' } });
const promote = (name: string, from: string): PipelineStepInput => ({ name, kind: 'promote', inputs: { version: from }, params: { alias: 'production' } });
const steps = (...inputs: PipelineStepInput[]): PipelineStep[] => inputs.map((input) => pipelineStepSchema.parse(input));

describe('findGraphIssues', () => {
  it('finds nothing in a runnable DAG with a grid, fan-in and a chain', () => {
    expect(
      findGraphIssues(
        steps(
          prepare('prepare'),
          train('wide', 'prepare', { learningRate: [0.01, 0.1] }),
          train('deep', 'prepare'),
          evaluate('pick', ['wide', 'deep']),
          register('register', 'pick'),
          promote('promote', 'register'),
        ),
      ),
    ).toEqual([]);
  });

  it('names an input that refers to a step the pipeline lacks, by its path', () => {
    expect(findGraphIssues(steps(prepare('prepare'), train('train', 'prepar')))).toEqual([
      { path: ['steps', 1, 'inputs', 'dataset'], message: 'refers to step "prepar", which this pipeline does not have' },
    ]);
    expect(findGraphIssues(steps(prepare('prepare'), train('train', 'prepare'), evaluate('pick', ['train', 'missing'])))).toEqual([
      { path: ['steps', 2, 'inputs', 'models', 1], message: expect.stringMatching(/"missing", which this pipeline does not have/) },
    ]);
  });

  it('names an input fed by the wrong kind of step, and the kinds it takes', () => {
    const issues = findGraphIssues(steps(prepare('prepare'), train('train', 'prepare'), train('again', 'train'), promote('promote', 'train')));
    expect(issues).toEqual([
      { path: ['steps', 2, 'inputs', 'dataset'], message: 'a train step reads "dataset" from prepare steps; "train" is of kind train' },
      { path: ['steps', 3, 'inputs', 'version'], message: 'a promote step reads "version" from register steps; "train" is of kind train' },
    ]);
  });

  it('refuses a register step fed by a grid directly, pointing to evaluate', () => {
    const grid = { learningRate: [0.01, 0.1] };
    expect(findGraphIssues(steps(prepare('prepare'), train('train', 'prepare', grid), register('register', 'train')))).toEqual([
      { path: ['steps', 2, 'inputs', 'model'], message: expect.stringMatching(/"train" trains a grid of models and register takes one; add an evaluate step/) },
    ]);
    expect(findGraphIssues(steps(prepare('prepare'), train('train', 'prepare', {}), register('register', 'train')))).toEqual([]);
  });

  it('names a duplicate step name at the later step', () => {
    expect(findGraphIssues(steps(prepare('prepare'), train('train', 'prepare'), train('train', 'prepare')))).toEqual([
      { path: ['steps', 2, 'name'], message: 'another step is already named "train"' },
    ]);
  });

  it('names a grid that does not fit the model spec, down to the field', () => {
    expect(findGraphIssues(steps(prepare('prepare'), train('train', 'prepare', { learningRat: [0.1] })))).toEqual([
      { path: ['steps', 1, 'params', 'grid', 'learningRat'], message: expect.stringMatching(/"learningRat" is not a field/) },
    ]);
  });

  it('spells out a cycle in data-flow order', () => {
    const two = findGraphIssues(steps(evaluate('a', 'b'), evaluate('b', 'a')));
    expect(two).toEqual([{ path: ['steps'], message: 'the steps form a cycle: a → b → a' }]);

    const three = steps(evaluate('a', 'c'), evaluate('b', 'a'), evaluate('c', 'b'));
    const [issue] = findGraphIssues(three);
    const names = issue?.message.replace('the steps form a cycle: ', '').split(' → ') ?? [];
    expect(names).toHaveLength(4);
    expect(names[0]).toBe(names[3]);
    // Each step in the message reads from the one before it.
    for (let i = 1; i < names.length; i++) {
      const reader = three.find((s) => s.name === names[i]);
      expect(reader && stepInputs(reader).map((input) => input.from)).toEqual([names[i - 1]]);
    }

    expect(findGraphIssues(steps(evaluate('a', 'a')))).toEqual([{ path: ['steps'], message: 'the steps form a cycle: a → a' }]);
  });

  it('reports every issue at once', () => {
    const issues = findGraphIssues(steps(prepare('prepare'), train('train', 'nowhere'), register('register', 'prepare'), prepare('prepare')));
    expect(issues.map((issue) => issue.path.join('.'))).toEqual(['steps.3.name', 'steps.1.inputs.dataset', 'steps.2.inputs.model']);
  });
});

describe('topologicalOrder', () => {
  it('puts every step after the steps it reads from', () => {
    const listed = steps(promote('promote', 'register'), register('register', 'pick'), evaluate('pick', ['b', 'a']), train('a', 'prepare'), train('b', 'prepare'), prepare('prepare'));
    const ordered = topologicalOrder(listed);

    expect(ordered.map((s) => s.name).sort()).toEqual(listed.map((s) => s.name).sort());
    for (const [position, step] of ordered.entries()) {
      for (const { from } of stepInputs(step)) expect(ordered.findIndex((s) => s.name === from)).toBeLessThan(position);
    }
  });

  it('keeps a list that is already in order as it is', () => {
    const listed = steps(prepare('prepare'), train('a', 'prepare'), train('b', 'prepare'), evaluate('pick', ['a', 'b']), register('register', 'pick'));
    expect(topologicalOrder(listed)).toEqual(listed);
  });
});
