import { asNetworkSpec, isForestSpec, modelSpecSchema, progressStepsOf } from './model-spec.schema';

describe('modelSpecSchema', () => {
  it('reads a spec with layers and no kind as a network, as every spec before forests', () => {
    const spec = modelSpecSchema.parse({ layers: [{ type: 'dense', units: 8 }], epochs: 12 });

    expect(isForestSpec(spec)).toBe(false);
    expect(asNetworkSpec(spec)).toMatchObject({ layers: [{ type: 'dense', units: 8, activation: 'relu' }], epochs: 12, optimizer: 'adam' });
    expect(progressStepsOf(spec)).toBe(12);
  });

  it("fills a random forest's defaults as scikit-learn's, leaving maxFeatures to the task", () => {
    const spec = modelSpecSchema.parse({ kind: 'randomForest' });

    expect(spec).toEqual({ kind: 'randomForest', trees: 300, minSamplesLeaf: 1, bootstrap: true, seed: 42 });
    expect(isForestSpec(spec)).toBe(true);
    expect(progressStepsOf(spec)).toBe(10);
    expect(progressStepsOf(modelSpecSchema.parse({ kind: 'randomForest', trees: 4 }))).toBe(4);
    expect(() => asNetworkSpec(spec)).toThrow('expected a network spec, got a randomForest of 300 trees');
  });

  it.each([
    [{ kind: 'randomForest', trees: 0 }, ['trees']],
    [{ kind: 'randomForest', maxFeatures: 1.5 }, ['maxFeatures']],
    [{ kind: 'randomForest', maxFeatures: 'log2' }, ['maxFeatures']],
    [{ kind: 'randomForest', minSamplesLeaf: 0 }, ['minSamplesLeaf']],
  ])('refuses %j, naming the field', (input, path) => {
    const parsed = modelSpecSchema.safeParse(input);

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(path);
  });

  it("refuses a network's fields on a forest, where they would silently do nothing", () => {
    const parsed = modelSpecSchema.safeParse({ kind: 'randomForest', epochs: 50, earlyStopping: { patience: 3 } });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['epochs', 'earlyStopping'] });
  });

  it('names the kinds it knows when the kind is misspelt', () => {
    const parsed = modelSpecSchema.safeParse({ kind: 'randomforest' });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain("'randomForest'");
  });
});
