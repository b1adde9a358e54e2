import type { ModelSignature } from '@slipway/ml';
import { InferenceInputError } from '@slipway/model-runtimes';
import { checkV1RequestBounds } from './request-bounds';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './request-limits';
import { valueProblem } from './tensor-values';
import type { RawColumn } from './v2-infer';

/**
 * KServe V1 `:predict` instances as feature columns: each instance a row in feature order, or an object keyed by
 * feature. null, or a feature an object leaves out, is a missing value the transform imputes. A value must fit the
 * feature's datatype (a string for BYTES, a number within float32's range for FP32).
 * @throws RequestTooLargeError for more rows or values than the limits, before any row is read.
 */
export function decodeV1Instances(signature: ModelSignature, body: unknown, limits: RequestLimits = DEFAULT_REQUEST_LIMITS): { columns: Record<string, RawColumn>; rowCount: number } {
  const instances = (body as { instances?: unknown } | null)?.instances;
  if (!Array.isArray(instances) || instances.length === 0) {
    throw new InferenceInputError('body.instances must be a non-empty array of rows', 'instances');
  }
  const names = signature.inputs.map((input) => input.name);
  checkV1RequestBounds(instances, limits, { batched: true, width: names.length });
  const columns: Record<string, (number | string | null)[]> = Object.fromEntries(names.map((name) => [name, []]));
  instances.forEach((instance: unknown, row) => {
    const values = Array.isArray(instance) ? instance : names.map((name) => (instance as Record<string, unknown> | null)?.[name]);
    if (Array.isArray(instance) && instance.length !== names.length) {
      throw new InferenceInputError(`instances.${row} has ${instance.length} values; expected ${names.length} (${names.join(', ')})`, 'instances');
    }
    signature.inputs.forEach((input, column) => {
      const value = values[column] ?? null;
      const problem = valueProblem(input.datatype, value);
      if (problem) throw new InferenceInputError(`instances.${row}.${input.name} is ${JSON.stringify(value)}; ${problem}, or null`, input.name);
      (columns[input.name] as (number | string | null)[]).push(value as number | string | null);
    });
  });
  return { columns: columns as Record<string, RawColumn>, rowCount: instances.length };
}
