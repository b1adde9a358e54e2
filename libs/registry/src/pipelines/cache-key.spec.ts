import { cacheKey, cacheKeyComponents, paramsDigest } from './cache-key';
import { STEP_CODE_VERSIONS } from './step-code-versions';

describe('cacheKey', () => {
  const components = cacheKeyComponents('train', { model: { learningRate: 0.01, epochs: 3 } }, { dataset: 'sha256:data' });

  it('records the code version of the kind, so new step code never reuses old outputs', () => {
    expect(components.codeVersion).toBe(STEP_CODE_VERSIONS.train);
  });

  it('is a sha256 digest that does not depend on the order fields were written in', () => {
    expect(cacheKey(components)).toMatch(/^sha256:[0-9a-f]{64}$/);
    const reordered = { inputs: { dataset: 'sha256:data' }, params: { model: { epochs: 3, learningRate: 0.01 } }, codeVersion: components.codeVersion, kind: 'train' as const };
    expect(cacheKey(reordered)).toBe(cacheKey(components));
  });

  it.each([
    ['the kind', { ...components, kind: 'evaluate' as const }],
    ['the code version', { ...components, codeVersion: `${components.codeVersion}.next` }],
    ['a param', { ...components, params: { model: { learningRate: 0.02, epochs: 3 } } }],
    ['an input digest', { ...components, inputs: { dataset: 'sha256:other' } }],
  ])('changes with %s', (_part, changed) => {
    expect(cacheKey(changed)).not.toBe(cacheKey(components));
  });
});

describe('paramsDigest', () => {
  it('depends on kind and params only, so a prepare step finds candidates before its source is hashed', () => {
    const params = { dataset: { uri: 'data/iris.csv' } };
    expect(paramsDigest('prepare', params)).toBe(paramsDigest('prepare', { ...params }));
    expect(paramsDigest('prepare', params)).not.toBe(paramsDigest('prepare', { dataset: { uri: 'data/wine.csv' } }));
    expect(paramsDigest('prepare', params)).not.toBe(paramsDigest('train', params));
  });
});
