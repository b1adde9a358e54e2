import type { Transform } from '@slipway/contracts';
import { TransformInputError } from '../errors/transform-input.error';
import { encodeColumns, encodeLabels, encodeRows, transformWidth } from './encode';

const transform: Transform = {
  version: 1,
  features: [
    { name: 'length', kind: 'numeric', mean: 10, scale: 2, statistics: { count: 3, min: 8, max: 12, mean: 10, std: 2, quantiles: [] } },
    { name: 'colour', kind: 'categorical', vocabulary: ['blue', 'red'], statistics: { count: 3, frequencies: { blue: 1, red: 2 } } },
  ],
  label: { name: 'kind', classes: ['cat', 'dog'] },
};

function caught(attempt: () => unknown): TransformInputError {
  try {
    attempt();
  } catch (error) {
    if (error instanceof TransformInputError) return error;
    throw error;
  }
  throw new Error('expected a TransformInputError');
}

describe('encodeRows', () => {
  it('standardises numbers and one-hot encodes categories, row-major', () => {
    const encoded = encodeRows(transform, [
      { length: '12', colour: 'red', kind: 'dog' },
      { length: 7, colour: 'blue' },
    ]);
    expect(encoded.width).toBe(transformWidth(transform));
    expect(encoded.rowCount).toBe(2);
    expect(Array.from(encoded.features)).toEqual([1, 0, 1, -1.5, 1, 0]);
  });

  it('encodes an unseen category as all zeros', () => {
    const { features } = encodeRows(transform, [{ length: '10', colour: 'green' }]);
    expect(Array.from(features)).toEqual([0, 0, 0]);
  });

  it('names the feature and row of a non-numeric value', () => {
    const error = caught(() => encodeRows(transform, [{ length: '9', colour: 'red' }, { length: 'long', colour: 'red' }]));
    expect(error).toMatchObject({ feature: 'length', row: 1 });
    expect(error.message).toBe('numeric feature "length" is "long" at row 1: expected a finite number');
  });

  it('rejects a missing numeric value and NaN', () => {
    expect(caught(() => encodeRows(transform, [{ colour: 'red' }])).message).toMatch(/"length" is missing at row 0/);
    expect(caught(() => encodeRows(transform, [{ length: Number.NaN, colour: 'red' }])).feature).toBe('length');
  });
});

describe('encodeColumns', () => {
  it('encodes column-per-feature input like the same rows would be', () => {
    const columns = encodeColumns(transform, { length: [12, '7'], colour: ['red', 'blue'] }, 2);
    const rows = encodeRows(transform, [{ length: 12, colour: 'red' }, { length: '7', colour: 'blue' }]);
    expect(columns).toEqual(rows);
  });

  it('names a missing feature and what was given', () => {
    const error = caught(() => encodeColumns(transform, { length: [1] }, 1));
    expect(error.feature).toBe('colour');
    expect(error.message).toBe('feature "colour" is missing from the input (given: "length")');
  });

  it('rejects a column whose length is not the row count', () => {
    expect(caught(() => encodeColumns(transform, { length: [1, 2], colour: ['red'] }, 2)).message).toBe(
      'feature "colour" has 1 values, expected 2',
    );
  });

  it('rejects null arriving from JSON for a numeric feature', () => {
    const columns = { length: [null], colour: ['red'] } as unknown as Record<string, number[]>;
    expect(caught(() => encodeColumns(transform, columns, 1))).toMatchObject({ feature: 'length', row: 0 });
  });
});

describe('encodeLabels', () => {
  it('maps labels to class indices and names an unknown one', () => {
    expect(Array.from(encodeLabels(transform, [{ kind: 'dog' }, { kind: 'cat' }]))).toEqual([1, 0]);
    expect(caught(() => encodeLabels(transform, [{ kind: 'cow' }]))).toMatchObject({ feature: 'kind', row: 0 });
  });
});
