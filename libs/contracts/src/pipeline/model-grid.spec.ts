import { asNetworkSpec, modelSpecSchema, type ModelSpec } from '../model/model-spec.schema';
import { expandGrid, gridSize, InvalidGridError, MAX_GRID_POINTS, type Grid } from './model-grid';

const base: ModelSpec = modelSpecSchema.parse({
  layers: [
    { type: 'dense', units: 16 },
    { type: 'dropout', rate: 0.1 },
    { type: 'dense', units: 8 },
  ],
  learningRate: 0.01,
  batchSize: 16,
});

/** What expandGrid threw, for asserting on its field and message. */
function gridErrorOf(grid: Grid): InvalidGridError {
  try {
    expandGrid(base, grid);
  } catch (error) {
    if (error instanceof InvalidGridError) return error;
    throw error;
  }
  throw new Error(`expandGrid accepted ${JSON.stringify(grid)}`);
}

describe('gridSize', () => {
  it('is the product of the value counts, and 1 without a grid', () => {
    expect(gridSize(undefined)).toBe(1);
    expect(gridSize({})).toBe(1);
    expect(gridSize({ learningRate: [0.1, 0.2], batchSize: [8, 16, 32] })).toBe(6);
  });
});

describe('expandGrid', () => {
  it('gives the base spec as the single point of a step without a grid', () => {
    expect(expandGrid(base, undefined)).toEqual([{ index: 0, values: {}, model: base }]);
    expect(expandGrid(base, {})).toEqual([{ index: 0, values: {}, model: base }]);
  });

  it('gives every combination once, in row-major order (the first field varies slowest), applied to the spec', () => {
    const learningRates = [0.1, 0.2];
    const batchSizes = [8, 16, 32];
    const points = expandGrid(base, { learningRate: learningRates, batchSize: batchSizes });

    const expected = learningRates.flatMap((learningRate) => batchSizes.map((batchSize) => ({ learningRate, batchSize })));
    expect(points).toHaveLength(gridSize({ learningRate: learningRates, batchSize: batchSizes }));
    expect(points.map((p) => p.index)).toEqual(expected.map((_, i) => i));
    expect(points.map((p) => p.values)).toEqual(expected);
    for (const point of points) expect(point.model).toEqual({ ...base, ...point.values });
  });

  it('reaches into layers by dotted path, leaving the base spec untouched', () => {
    const before = structuredClone(base);
    const points = expandGrid(base, { 'layers.0.units': [4, 32] });

    expect(points.map((p) => asNetworkSpec(p.model).layers[0])).toEqual([
      { type: 'dense', units: 4, activation: 'relu' },
      { type: 'dense', units: 32, activation: 'relu' },
    ]);
    for (const point of points) expect(asNetworkSpec(point.model).layers.slice(1)).toEqual(asNetworkSpec(base).layers.slice(1));
    expect(base).toEqual(before);
  });

  it.each([
    ['learningRat', /"learningRat" is not a field of the model spec/],
    ['layers.5.units', /"layers\.5\.units" is not a field/],
    ['learningRate.value', /"learningRate\.value" is not a field/],
    ['layers', /"layers" is not a single value/],
    ['layers.0', /"layers\.0" is not a single value/],
  ])('refuses the path %j, naming it', (path, message) => {
    const error = gridErrorOf({ [path]: [1] });
    expect(error.field).toBe(path);
    expect(error.message).toMatch(message);
  });

  it.each([
    [{ learningRate: [0.1, -1] }, 'learningRate'],
    [{ 'layers.0.units': [8, 0] }, 'layers.0.units'],
    [{ optimizer: ['adam', 'nadam'] }, 'optimizer'],
    [{ batchSize: [16], epochs: ['ten'] }, 'epochs'],
  ])('refuses a value that makes the spec invalid (%j), naming the field', (grid, field) => {
    const error = gridErrorOf(grid);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/makes the model invalid/);
    expect(error.message).toContain(`${field}:`);
  });

  it(`takes up to ${MAX_GRID_POINTS} points and refuses more, before looking at paths`, () => {
    const sixteen = Array.from({ length: 16 }, (_, i) => i + 1);
    expect(expandGrid(base, { learningRate: sixteen.map((i) => i / 100), batchSize: sixteen })).toHaveLength(MAX_GRID_POINTS);

    const tooMany = Array.from({ length: MAX_GRID_POINTS + 1 }, (_, i) => (i + 1) / 1_000);
    const error = gridErrorOf({ learningRat: tooMany });
    expect(error.field).toBeUndefined();
    expect(error.message).toMatch(new RegExp(`${MAX_GRID_POINTS + 1} combinations, more than ${MAX_GRID_POINTS}`));
  });
});
