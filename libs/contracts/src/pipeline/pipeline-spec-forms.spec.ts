import { modelSpecSchema } from '../model/model-spec.schema';
import { pipelineSpecSchema, submitRunRequestSchema, type PipelineSpecInput } from '../registry/pipeline-spec.schema';
import { describeZodError } from '../zod-errors';

const modelSpec = { layers: [{ type: 'dense' as const, units: 8 }], learningRate: 0.05 };
const dataset = { uri: 'data/iris.csv', labelColumn: 'species' };
const shorthand = { name: 'iris', model: { name: 'iris', spec: modelSpec }, dataset, promotion: { alias: 'staging', minTestAccuracy: 0.8 } };
const dag: PipelineSpecInput = {
  name: 'iris-dag',
  team: 'vision',
  steps: [
    { name: 'load', kind: 'prepare', params: { dataset } },
    { name: 'fit', kind: 'train', inputs: { dataset: 'load' }, params: { model: modelSpec } },
  ],
};

/** The failing fields' paths, joined with dots. */
function failingPaths(input: unknown): string[] {
  const result = pipelineSpecSchema.safeParse(input);
  if (result.success) throw new Error(`accepted ${JSON.stringify(input)}`);
  return result.error.issues.map((issue) => issue.path.join('.'));
}

describe('pipelineSpecSchema', () => {
  it('expands the shorthand to prepare → train → register → promote, promoting only at the minimum accuracy', () => {
    const spec = pipelineSpecSchema.parse(shorthand);

    expect(spec).toEqual({
      name: 'iris',
      team: 'default',
      steps: [
        { name: 'prepare', kind: 'prepare', cache: true, params: { dataset: expect.objectContaining(dataset) } },
        { name: 'train', kind: 'train', cache: true, inputs: { dataset: 'prepare' }, params: { model: modelSpecSchema.parse(modelSpec), gpus: 0 } },
        { name: 'register', kind: 'register', cache: true, inputs: { model: 'train' }, params: { model: 'iris' } },
        {
          name: 'promote',
          kind: 'promote',
          cache: true,
          inputs: { version: 'register' },
          params: { alias: 'staging' },
          when: { metric: 'testAccuracy', op: '>=', value: 0.8 },
        },
      ],
    });
  });

  it('promotes to production at 0.9 when the shorthand names no promotion', () => {
    const { promotion: _promotion, ...withoutPromotion } = shorthand;
    const promote = pipelineSpecSchema.parse(withoutPromotion).steps.find((s) => s.kind === 'promote');
    expect(promote).toMatchObject({ params: { alias: 'production' }, when: { metric: 'testAccuracy', op: '>=', value: 0.9 } });
  });

  it('takes the steps form as given, with defaults applied', () => {
    const spec = pipelineSpecSchema.parse(dag);
    expect(spec.team).toBe('vision');
    expect(spec.steps.map((s) => [s.name, s.kind, s.cache])).toEqual([
      ['load', 'prepare', true],
      ['fit', 'train', true],
    ]);
  });

  it('reads back what it produced unchanged, so a recorded pipeline parses to itself', () => {
    for (const input of [shorthand, dag]) {
      const once = pipelineSpecSchema.parse(input);
      expect(pipelineSpecSchema.parse(JSON.parse(JSON.stringify(once)))).toEqual(once);
    }
  });

  it('refuses both forms at once, naming each shorthand field given', () => {
    expect(failingPaths({ ...dag, model: shorthand.model })).toEqual(['model']);
    expect(failingPaths({ ...dag, dataset, promotion: shorthand.promotion })).toEqual(['dataset', 'promotion']);
    const result = pipelineSpecSchema.safeParse({ ...dag, model: shorthand.model });
    expect(result.success ? '' : describeZodError(result.error, ['pipeline'])).toBe('pipeline.model: give either steps or the model/dataset/promotion shorthand, not both');
  });

  it('refuses neither form, naming the shorthand fields missing', () => {
    const result = pipelineSpecSchema.safeParse({ name: 'empty' });
    expect(result.success).toBe(false);
    expect(result.success ? [] : result.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['model', 'required when the pipeline has no steps'],
      ['dataset', 'required when the pipeline has no steps'],
    ]);
    expect(failingPaths({ name: 'half', model: shorthand.model })).toEqual(['dataset']);
  });

  it('names the step field at fault in a steps form that is not a runnable DAG', () => {
    const dangling = { ...dag, steps: [dag.steps?.[0], { name: 'fit', kind: 'train', inputs: { dataset: 'lod' }, params: { model: modelSpec } }] };
    expect(failingPaths(dangling)).toEqual(['steps.1.inputs.dataset']);
    expect(failingPaths({ ...dag, team: 'Vision Team' })).toEqual(['team']);
  });
});

describe('submitRunRequestSchema', () => {
  it('uses the cache by default, and takes true or a list of step names to bypass it', () => {
    expect(submitRunRequestSchema.parse({ pipeline: dag }).noCache).toBe(false);
    expect(submitRunRequestSchema.parse({ pipeline: dag, noCache: true }).noCache).toBe(true);
    expect(submitRunRequestSchema.parse({ pipeline: dag, noCache: ['fit'] }).noCache).toEqual(['fit']);
    const invalid = submitRunRequestSchema.safeParse({ pipeline: dag, noCache: ['Fit'] });
    expect(invalid.success ? [] : invalid.error.issues.map((i) => i.path.join('.'))).toEqual(['noCache.0']);
  });
});
