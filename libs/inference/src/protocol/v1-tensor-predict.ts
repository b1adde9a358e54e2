import type { V2InferInput } from '@slipway/contracts';
import { InferenceInputError, jsonValues, type HostTensor } from '@slipway/model-runtimes';
import type { LoadedTensorModel } from '../repository/loaded-model';
import { checkV1RequestBounds } from './request-bounds';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './request-limits';

type Nested = unknown[] | number | string | boolean;

/**
 * KServe V1 `:predict` instances for an imported model with one input: each instance one row of that input (nested
 * as its shape), or, for a model without a batch dimension, the instances together the one tensor it takes.
 * @throws RequestTooLargeError for more rows or values than the limits.
 * @throws InferenceInputError when the model has several inputs (V2 names them), or the instances are not a tensor.
 */
export function decodeV1TensorInstances(loaded: LoadedTensorModel, body: unknown, limits: RequestLimits = DEFAULT_REQUEST_LIMITS): V2InferInput[] {
  const { inputs } = loaded.signature;
  const [input] = inputs;
  if (!input || inputs.length > 1) {
    throw new InferenceInputError(`this model takes ${inputs.length} inputs (${inputs.map(({ name }) => name).join(', ')}); V1 instances carry one: use the V2 protocol`, 'instances');
  }
  const instances = (body as { instances?: unknown } | null)?.instances;
  if (!Array.isArray(instances) || instances.length === 0) throw new InferenceInputError('body.instances must be a non-empty array of rows', 'instances');
  // Also bounds the nesting, so the flattening below cannot run out of stack.
  checkV1RequestBounds(instances, limits, { batched: loaded.batched });
  const shape = loaded.batched ? [instances.length, ...shapeOf(instances[0])] : shapeOf(instances);
  return [{ name: input.name, datatype: input.datatype, shape, data: instances.flat(Infinity) }];
}

/** One prediction per row: the output's row (nested as its shape), or, for several outputs, an object of them by name. */
export function v1TensorPredictions(outputs: readonly HostTensor[], rows: number): unknown[] {
  const rowsOfOutput = outputs.map((output) => ({ name: output.name, rows: splitRows(output, rows) }));
  return Array.from({ length: rows }, (_, row) =>
    rowsOfOutput.length === 1 ? rowsOfOutput[0]?.rows[row] : Object.fromEntries(rowsOfOutput.map(({ name, rows: values }) => [name, values[row]])),
  );
}

/** The dimensions of a nested array as numpy reads them: the length at each depth, following first elements. */
function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  for (let level = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  return shape;
}

function splitRows(output: HostTensor, rows: number): Nested[] {
  const values = jsonValues(output);
  const rowShape = rows === output.shape[0] ? output.shape.slice(1) : output.shape;
  const rowSize = rowShape.reduce((size, dimension) => size * dimension, 1);
  return Array.from({ length: rows }, (_, row) => nest(values.slice(row * rowSize, (row + 1) * rowSize), rowShape));
}

function nest(values: readonly (number | string | boolean)[], shape: readonly number[]): Nested {
  const [size, ...rest] = shape;
  if (size === undefined) return values[0] as Nested;
  const step = rest.reduce((product, dimension) => product * dimension, 1);
  return Array.from({ length: size }, (_, index) => nest(values.slice(index * step, (index + 1) * step), rest));
}
