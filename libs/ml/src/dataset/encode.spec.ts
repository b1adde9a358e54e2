import { transformSchema, type Transform } from '@slipway/contracts';
import { TransformInputError } from '../errors/transform-input.error';
import { encodeColumns, encodeRows, transformWidth } from './encode';
import { hashBucket } from './values/hash-bucket';

const statistics = { count: 3, min: 8, max: 12, mean: 10, std: 2, quantiles: [], missing: 0 };

/** A transform as prepared before v2: no imputed value, no indicators or buckets. */
const v1 = transformSchema.parse({
  version: 1,
  features: [
    { name: 'length', kind: 'numeric', mean: 10, scale: 2, statistics },
    { name: 'colour', kind: 'categorical', vocabulary: ['blue', 'red'], statistics: { count: 3, frequencies: { blue: 1, red: 2 } } },
  ],
  label: { name: 'kind', classes: ['cat', 'dog'] },
});

const v2: Transform = {
  version: 2,
  features: [
    { name: 'length', kind: 'numeric', mean: 10, scale: 2, impute: 11, missingIndicator: true, statistics },
    { name: 'colour', kind: 'categorical', vocabulary: ['blue', 'red'], missingBucket: true, statistics: { count: 3, frequencies: { blue: 1, red: 2 }, missing: 1 } },
    { name: 'city', kind: 'hashed', buckets: 4, statistics: { count: 3, distinct: 3, missing: 0 } },
    {
      name: 'day',
      kind: 'date',
      parts: [
        { part: 'year', mean: 2010, scale: 2 },
        { part: 'month', mean: 6, scale: 3 },
        { part: 'dayOfWeek', mean: 3, scale: 2 },
        { part: 'dayOfYear', mean: 180, scale: 100 },
      ],
      statistics: { count: 3, min: '2008-01-01', max: '2012-12-31', missing: 0 },
    },
  ],
  label: { task: 'classification', name: 'kind', classes: ['cat', 'dog'] },
  missingValues: ['', 'NA'],
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

const oneHot = (width: number, slot: number) => Array.from({ length: width }, (_, index) => (index === slot ? 1 : 0));

describe('encodeRows', () => {
  it('standardises numbers and one-hot encodes categories, row-major', () => {
    const encoded = encodeRows(v1, [
      { length: '12', colour: 'red', kind: 'dog' },
      { length: 7, colour: 'blue' },
    ]);
    expect(encoded.width).toBe(transformWidth(v1));
    expect(encoded.rowCount).toBe(2);
    expect(Array.from(encoded.features)).toEqual([1, 0, 1, -1.5, 1, 0]);
    expect(encoded).toMatchObject({ imputed: {}, unseen: {} });
  });

  it('counts an unseen category and encodes it as all zeros', () => {
    const encoded = encodeRows(v1, [{ length: '10', colour: 'green' }, { length: '10', colour: 'red' }]);
    expect(Array.from(encoded.features)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(encoded.unseen).toEqual({ colour: 1 });
  });

  it('imputes a missing number with the fitted value and sets its indicator', () => {
    const { features, width, imputed } = encodeRows(v2, [{ length: null }, { length: 12 }, { length: Number.NaN }, {}]);
    const lengths = [0, 1, 2, 3].map((row) => [features[row * width], features[row * width + 1]]);
    expect(lengths).toEqual([[0.5, 1], [1, 0], [0.5, 1], [0.5, 1]]);
    expect(imputed.length).toBe(3);
  });

  it('stands in the mean for a missing number of a transform read from v1 (0 once standardised)', () => {
    const { features, imputed } = encodeRows(v1, [{ colour: 'red' }]);
    expect(Array.from(features)).toEqual([0, 0, 1]);
    expect(imputed).toEqual({ length: 1 });
  });

  it('puts a missing category in its bucket', () => {
    const { features, imputed } = encodeRows(v2, [{ length: 10, colour: undefined, city: 'x', day: '2010-06-01' }]);
    expect(Array.from(features.slice(2, 5))).toEqual([0, 0, 1]);
    expect(imputed).toEqual({ colour: 1 });
  });

  it('hashes a value into its bucket, and leaves a missing one all zeros', () => {
    const { features, width, imputed } = encodeRows(v2, [{ city: 'Zürich' }, { city: ' Zürich ' }, { city: null }]);
    const bucketsOf = (row: number) => Array.from(features.slice(row * width + 5, row * width + 9));
    expect(bucketsOf(0)).toEqual(oneHot(4, hashBucket('Zürich', 4)));
    expect(bucketsOf(1)).toEqual(bucketsOf(0));
    expect(bucketsOf(2)).toEqual([0, 0, 0, 0]);
    expect(imputed.city).toBe(1);
  });

  it('encodes a date as its standardised UTC parts; a missing date as each part’s mean (zeros)', () => {
    // 2012-03-01 is a Thursday (4), day 61 of a leap year.
    const { features, width, imputed } = encodeRows(v2, [{ day: '2012-03-01' }, { day: '2012/03/01' }, { day: null }]);
    const partsOf = (row: number) => Array.from(features.slice(row * width + 9, row * width + 13));
    expect(partsOf(0)).toEqual([1, -1, 0.5, -1.19].map((value) => Math.fround(value)));
    expect(partsOf(1)).toEqual(partsOf(0));
    expect(partsOf(2)).toEqual([0, 0, 0, 0]);
    expect(imputed.day).toBe(1);
  });

  it('names the feature and row of a value it cannot encode', () => {
    const text = caught(() => encodeRows(v1, [{ length: '9', colour: 'red' }, { length: 'long', colour: 'red' }]));
    expect(text).toMatchObject({ feature: 'length', row: 1 });
    expect(text.message).toBe('numeric feature "length" is "long" at row 1: expected a finite number');
    expect(caught(() => encodeRows(v1, [{ length: Number.POSITIVE_INFINITY }])).feature).toBe('length');
    expect(caught(() => encodeRows(v2, [{ day: '11/03/2012' }])).message).toMatch(/^date feature "day" is "11\/03\/2012" at row 0: expected a date such as 2007-11-11/);
  });
});

describe('encodeColumns', () => {
  it('encodes column-per-feature input like the same rows would be', () => {
    const columns = encodeColumns(v2, { length: [12, '7'], colour: ['red', 'blue'], city: ['a', 'b'], day: ['2011-01-01', '2012-12-31'] }, 2);
    const rows = encodeRows(v2, [
      { length: 12, colour: 'red', city: 'a', day: '2011-01-01' },
      { length: '7', colour: 'blue', city: 'b', day: '2012-12-31' },
    ]);
    expect(columns).toEqual(rows);
  });

  it('imputes an absent feature and null values arriving from JSON, and counts them', () => {
    const columns = { length: [null, 8], colour: ['red', null] } as unknown as Record<string, number[]>;
    const encoded = encodeColumns(v2, columns, 2);
    expect(encoded.imputed).toEqual({ length: 1, colour: 1, city: 2, day: 2 });
    expect(Array.from(encoded.features.slice(0, 2))).toEqual([0.5, 1]);
  });

  it('reads the spellings data preparation took for missing values as missing, in every kind of feature', () => {
    const encoded = encodeRows(v2, [{ length: 'NA', colour: ' NA ', city: '', day: '' }]);
    expect(encoded.imputed).toEqual({ length: 1, colour: 1, city: 1, day: 1 });
    expect(encoded.unseen).toEqual({});
    expect(Array.from(encoded.features)).toEqual(Array.from(encodeRows(v2, [{}]).features));
  });

  it('rejects a column whose length is not the row count', () => {
    expect(caught(() => encodeColumns(v1, { length: [1, 2], colour: ['red'] }, 2)).message).toBe('feature "colour" has 1 values, expected 2');
  });

  it('still rejects text for a numeric feature, naming feature and row (a transform from v1 knew no missing spellings)', () => {
    expect(caught(() => encodeColumns(v1, { length: [1, 'NA'], colour: ['red', 'red'] }, 2))).toMatchObject({ feature: 'length', row: 1 });
  });
});
