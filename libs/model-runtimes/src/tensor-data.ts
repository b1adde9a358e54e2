import type { V2InferInput } from '@slipway/contracts';
import { InferenceInputError } from './errors/inference-input.error';

/** Flattens nested data row-major and checks its length against the shape. Flat data (the usual case) is used as it is, not copied. */
export function flatData(input: V2InferInput): unknown[] {
  const flat = isFlat(input.data) ? input.data : input.data.flat(Infinity);
  let expected = 1;
  for (const size of input.shape) expected *= size;
  if (flat.length !== expected) {
    throw new InferenceInputError(
      `input "${input.name}" has ${flat.length} values but its shape [${input.shape.join(', ')}] needs ${expected}`,
      input.name,
    );
  }
  return flat;
}

function isFlat(data: readonly unknown[]): boolean {
  for (let index = 0; index < data.length; index += 1) if (Array.isArray(data[index])) return false;
  return true;
}
