import { modelSpecSchema, type ModelSpec } from '../model/model-spec.schema';
import { describeZodError } from '../zod-errors';

export type GridValue = number | string | boolean;
export type Grid = Readonly<Record<string, readonly GridValue[]>>;

/** A grid larger than this is almost always a typo in a list; it would also flood the training queue. */
export const MAX_GRID_POINTS = 256;

export interface GridPoint {
  /** Position in the grid's row-major order (the first field varies slowest). */
  index: number;
  /** The value of each grid field at this point. */
  values: Record<string, GridValue>;
  /** The base model spec with this point's values applied and validated. */
  model: ModelSpec;
}

export class InvalidGridError extends Error {
  override readonly name = 'InvalidGridError';

  constructor(
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export function gridSize(grid: Grid | undefined): number {
  return grid === undefined ? 1 : Object.values(grid).reduce((size, values) => size * values.length, 1);
}

/**
 * Every combination of the grid's values applied to the base spec: one point for a step without a grid.
 * @throws InvalidGridError naming the field when a path does not exist in the spec, or a value makes it invalid.
 */
export function expandGrid(model: ModelSpec, grid: Grid | undefined): GridPoint[] {
  if (grid === undefined || Object.keys(grid).length === 0) return [{ index: 0, values: {}, model }];
  const size = gridSize(grid);
  if (size > MAX_GRID_POINTS) throw new InvalidGridError(undefined, `the grid has ${size} combinations, more than ${MAX_GRID_POINTS}`);
  for (const path of Object.keys(grid)) assertLeafExists(model, path);
  const fields = Object.entries(grid);
  const points: GridPoint[] = [];
  for (let index = 0; index < size; index++) {
    const values: Record<string, GridValue> = {};
    let rest = index;
    for (let f = fields.length - 1; f >= 0; f--) {
      const [path, options] = fields[f];
      values[path] = options[rest % options.length];
      rest = Math.floor(rest / options.length);
    }
    // In the grid's own field order, as written in the pipeline.
    const ordered = Object.fromEntries(fields.map(([path]) => [path, values[path]]));
    points.push({ index, values: ordered, model: applyValues(model, ordered) });
  }
  return points;
}

function applyValues(model: ModelSpec, values: Record<string, GridValue>): ModelSpec {
  const candidate: unknown = structuredClone(model);
  for (const [path, value] of Object.entries(values)) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, candidate as Record<string, unknown>);
    parent[keys[keys.length - 1]] = value;
  }
  const parsed = modelSpecSchema.safeParse(candidate);
  if (!parsed.success) {
    const field = Object.keys(values).find((path) => parsed.error.issues.some((issue) => issue.path.join('.') === path));
    throw new InvalidGridError(field, `grid point ${JSON.stringify(values)} makes the model invalid: ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}

/** A grid may only vary fields the spec already has (so a misspelt field is an error, not a silent no-op). */
function assertLeafExists(model: ModelSpec, path: string): void {
  let node: unknown = model;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) {
      throw new InvalidGridError(path, `"${path}" is not a field of the model spec`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node === 'object' && node !== null) throw new InvalidGridError(path, `"${path}" is not a single value of the model spec`);
}

