import { V2_DATATYPES, type V2Datatype } from '@slipway/contracts';
import { InferenceInputError } from '@slipway/model-runtimes';
import { RequestTooLargeError } from '../errors/request-too-large.error';
import { LIMIT_VARIABLES, type RequestLimits } from './request-limits';
import { valueProblem } from './tensor-values';

/** numpy's limit on dimensions (NPY_MAXDIMS): no client sends tensors of more, and deeper nesting is only a way to exhaust the stack. */
export const MAX_TENSOR_RANK = 64;

interface RawInput {
  name?: unknown;
  shape?: unknown;
  datatype?: unknown;
  data?: unknown;
}

/**
 * Checks a V2 request body against the request limits from what its inputs declare, before anything copies or converts
 * their values, then walks each input's data once (without recursion, so any nesting is safe): nested no deeper than
 * its shape has dimensions, no more values than the limit, every value within its datatype's range. Parts the body gets
 * wrong in form (no inputs, a shape that is not a list of sizes) are left to the schema check that follows.
 * @param batched whether the model takes rows along the first dimension (the row limit applies), or one sample.
 * @throws RequestTooLargeError naming the limit and its variable, for too many rows or elements.
 * @throws InferenceInputError naming the input: too many dimensions, data nested deeper than its shape, a value out of range.
 */
export function checkV2RequestBounds(body: unknown, limits: RequestLimits, batched: boolean): void {
  const inputs = (body as { inputs?: unknown } | null)?.inputs;
  if (!Array.isArray(inputs)) return;
  const declared = inputs.filter(isShaped);
  for (const input of declared) {
    const name = String(input.name);
    if (input.shape.length > MAX_TENSOR_RANK) throw new InferenceInputError(`input "${name}" has ${input.shape.length} dimensions; at most ${MAX_TENSOR_RANK} are taken`, name);
    const rows = input.shape[0] ?? 0;
    if (batched && rows > limits.maxRows) throw rowsError(name, rows, limits);
  }
  const elements = declared.reduce((sum, input) => sum + input.shape.reduce((product, size) => product * size, 1), 0);
  if (elements > limits.maxElements) throw elementsError(`the request's inputs have ${elements} values`, limits);
  let budget = limits.maxElements;
  for (const input of inputs as RawInput[]) {
    if (!Array.isArray(input?.data)) continue;
    const name = String(input.name);
    const datatype = (V2_DATATYPES as readonly unknown[]).includes(input.datatype) ? (input.datatype as V2Datatype) : undefined;
    const rank = isShaped(input) ? Math.max(input.shape.length, 1) : MAX_TENSOR_RANK;
    budget -= walkValues(input.data, rank, budget, (value, index) => {
      const problem = datatype && valueProblem(datatype, value);
      if (problem) throw new InferenceInputError(`input "${name}" value ${index} is ${describe(value)}; ${problem}`, name);
    }, (depth) => new InferenceInputError(`input "${name}" data is nested ${depth} levels deep, deeper than its ${isShaped(input) ? `shape [${input.shape.join(', ')}]` : `${MAX_TENSOR_RANK}-dimension limit`}`, name), () => elementsError(`input "${name}" holds more values than the limit allows`, limits));
  }
}

/**
 * The row and element limits for a KServe V1 body: `instances` rows of `width` values each (a trained model's
 * features), or, with no width, however many values the instances hold (an imported model's tensor, at most
 * MAX_TENSOR_RANK deep).
 * @throws RequestTooLargeError naming the limit and its variable.
 * @throws InferenceInputError when the instances are nested deeper than any tensor.
 */
export function checkV1RequestBounds(instances: readonly unknown[], limits: RequestLimits, options: { batched: boolean; width?: number }): void {
  if (options.batched && instances.length > limits.maxRows) throw rowsError('instances', instances.length, limits);
  if (options.width !== undefined) {
    if (instances.length * options.width > limits.maxElements) throw elementsError(`${instances.length} instances of ${options.width} features are ${instances.length * options.width} values`, limits);
    return;
  }
  walkValues(instances, MAX_TENSOR_RANK + 1, limits.maxElements, () => undefined, (depth) => new InferenceInputError(`instances are nested ${depth} levels deep; a tensor has at most ${MAX_TENSOR_RANK} dimensions`, 'instances'), () => elementsError('the instances hold more values than the limit allows', limits));
}

/**
 * Visits the leaves of nested arrays in row-major order with an explicit stack, and returns how many there were.
 * @param maxDepth deepest nesting allowed (1: a flat array).
 * @param maxLeaves leaves allowed; one more throws `tooMany()`.
 */
function walkValues(
  data: readonly unknown[],
  maxDepth: number,
  maxLeaves: number,
  visit: (value: unknown, index: number) => void,
  tooDeep: (depth: number) => Error,
  tooMany: () => Error,
): number {
  let leaves = 0;
  const stack: { array: readonly unknown[]; next: number }[] = [{ array: data, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as { array: readonly unknown[]; next: number };
    if (frame.next === frame.array.length) {
      stack.pop();
      continue;
    }
    const value = frame.array[frame.next];
    frame.next += 1;
    if (Array.isArray(value)) {
      if (stack.length + 1 > maxDepth) throw tooDeep(stack.length + 1);
      stack.push({ array: value, next: 0 });
      continue;
    }
    if (leaves === maxLeaves) throw tooMany();
    visit(value, leaves);
    leaves += 1;
  }
  return leaves;
}

function isShaped(input: unknown): input is RawInput & { shape: number[] } {
  const shape = (input as RawInput | null)?.shape;
  return Array.isArray(shape) && shape.every((size) => Number.isInteger(size) && size >= 0);
}

function rowsError(field: string, rows: number, limits: RequestLimits): RequestTooLargeError {
  return new RequestTooLargeError(`${field === 'instances' ? 'instances has' : `input "${field}" has`} ${rows} rows; serving takes at most ${limits.maxRows} per request (${LIMIT_VARIABLES.rows}): split it into smaller requests`, field);
}

function elementsError(what: string, limits: RequestLimits): RequestTooLargeError {
  return new RequestTooLargeError(`${what}; serving takes at most ${limits.maxElements} values per request (${LIMIT_VARIABLES.elements}): split it into smaller requests`);
}

function describe(value: unknown): string {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value) ?? String(value);
}
