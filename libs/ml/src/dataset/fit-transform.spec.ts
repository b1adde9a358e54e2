import type { InferredSchema } from '@slipway/contracts';
import { transformSchema } from '@slipway/contracts';
import { encodeRows } from './encode';
import { fitTransform } from './fit-transform';

const schema: InferredSchema = {
  columns: [
    { name: 'x', kind: 'numeric' },
    { name: 'constant', kind: 'numeric' },
    { name: 'colour', kind: 'categorical' },
    { name: 'label', kind: 'label' },
  ],
};
// x = 1..11, so its deciles are 2..10 under linear interpolation.
const rows = Array.from({ length: 11 }, (_, index) => ({
  x: String(11 - index),
  constant: '4',
  colour: ['red', 'blue', 'green', 'blue'][index % 4],
  label: index % 3 === 0 ? 'zebra' : 'ant',
}));

describe('fitTransform', () => {
  const transform = fitTransform(schema, rows);

  it('produces a transform the contract accepts', () => {
    expect(transformSchema.parse(transform)).toEqual(transform);
  });

  it('standardises numeric features so the fitted rows have mean 0 and std 1', () => {
    const { features, width } = encodeRows(transform, rows);
    const column = Array.from({ length: rows.length }, (_, row) => features[row * width]);
    const mean = column.reduce((sum, value) => sum + value, 0) / column.length;
    const std = Math.sqrt(column.reduce((sum, value) => sum + (value - mean) ** 2, 0) / column.length);
    expect(mean).toBeCloseTo(0, 5);
    expect(std).toBeCloseTo(1, 5);
  });

  it('records count, min, max and the deciles of numeric features', () => {
    const x = transform.features[0];
    if (x.kind !== 'numeric') throw new Error('x should be numeric');
    expect(x.statistics).toMatchObject({ count: 11, min: 1, max: 11, mean: 6 });
    x.statistics.quantiles.forEach((value, index) => expect(value).toBeCloseTo(index + 2, 10));
  });

  it('uses scale 1 for a constant column instead of dividing by zero', () => {
    const constant = transform.features[1];
    expect(constant).toMatchObject({ kind: 'numeric', mean: 4, scale: 1, statistics: { std: 0 } });
  });

  it('builds a sorted vocabulary with frequencies for categorical features', () => {
    expect(transform.features[2]).toEqual({
      name: 'colour',
      kind: 'categorical',
      vocabulary: ['blue', 'green', 'red'],
      statistics: { count: 11, frequencies: { blue: 5, green: 3, red: 3 } },
    });
  });

  it('sorts the label classes', () => {
    expect(transform.label).toEqual({ name: 'label', classes: ['ant', 'zebra'] });
  });

  it('learns nothing from rows it was not given', () => {
    const fitted = fitTransform(schema, rows.slice(0, 5));
    const colour = fitted.features[2];
    expect(colour.kind === 'categorical' && colour.vocabulary).toEqual(['blue', 'green', 'red']);
    expect(fitted.features[0]).toMatchObject({ statistics: { count: 5, min: 7, max: 11 } });
  });
});
