import { transformSchema } from '@slipway/contracts';
import { toyTransform } from './testing/sampled-rows';
import { transformReference } from './transform-reference';

describe('transformReference', () => {
  it("keeps a transform's numeric and categorical training statistics, by feature name", () => {
    expect(transformReference(toyTransform)).toEqual([
      { name: 'size', kind: 'numeric', statistics: expect.objectContaining({ min: 0, max: 10, quantiles: [1, 2, 3, 4, 5, 6, 7, 8, 9] }) },
      { name: 'colour', kind: 'categorical', statistics: { count: 100, frequencies: { red: 50, blue: 50 }, missing: 0 } },
    ]);
  });

  it('leaves out hashed and date features, which keep no training distribution', () => {
    const transform = transformSchema.parse({
      version: 2,
      features: [
        { name: 'city', kind: 'hashed', buckets: 8, statistics: { count: 10, distinct: 9, missing: 0 } },
        { name: 'day', kind: 'date', parts: [{ part: 'year', mean: 2020, scale: 1 }], statistics: { count: 10, min: '2020-01-01', max: '2020-12-31', missing: 0 } },
      ],
      label: { task: 'classification', name: 'kind', classes: ['a', 'b'] },
    });
    expect(transformReference(transform)).toEqual([]);
  });
});
