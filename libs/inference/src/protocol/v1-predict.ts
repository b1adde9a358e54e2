import type { ModelSignature } from '@slipway/ml';
import { InferenceInputError } from '../errors/inference-input.error';

/** KServe V1 `:predict` instances as feature columns: each instance a row in feature order, or an object keyed by feature. */
export function decodeV1Instances(signature: ModelSignature, body: unknown): { columns: Record<string, (number | string)[]>; rowCount: number } {
  const instances = (body as { instances?: unknown } | null)?.instances;
  if (!Array.isArray(instances) || instances.length === 0) {
    throw new InferenceInputError('body.instances must be a non-empty array of rows', 'instances');
  }
  const names = signature.inputs.map((input) => input.name);
  const columns: Record<string, (number | string)[]> = Object.fromEntries(names.map((name) => [name, []]));
  instances.forEach((instance: unknown, row) => {
    const values = Array.isArray(instance) ? instance : names.map((name) => (instance as Record<string, unknown> | null)?.[name]);
    if (Array.isArray(instance) && instance.length !== names.length) {
      throw new InferenceInputError(`instances.${row} has ${instance.length} values; expected ${names.length} (${names.join(', ')})`, 'instances');
    }
    signature.inputs.forEach((input, column) => {
      const value = values[column];
      const valid = input.datatype === 'BYTES' ? typeof value === 'string' : typeof value === 'number' && Number.isFinite(value);
      if (!valid) {
        throw new InferenceInputError(
          `instances.${row}.${input.name} is ${JSON.stringify(value)}; expected ${input.datatype === 'BYTES' ? 'a string' : 'a finite number'}`,
          input.name,
        );
      }
      (columns[input.name] as (number | string)[]).push(value as number | string);
    });
  });
  return { columns, rowCount: instances.length };
}
