import type { V2Datatype } from '@slipway/contracts';

/** Integers a JS number holds exactly; INT64 and UINT64 values past them would be silently rounded. */
const SAFE = Number.MAX_SAFE_INTEGER;

const INTEGER_RANGES: Partial<Record<V2Datatype, readonly [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32_768, 32_767],
  INT32: [-2_147_483_648, 2_147_483_647],
  INT64: [-SAFE, SAFE],
  UINT8: [0, 255],
  UINT16: [0, 65_535],
  UINT32: [0, 4_294_967_295],
  UINT64: [0, SAFE],
};

/** The smallest magnitude that rounds to infinity in half precision (65504 is the largest finite value). */
const FP16_OVERFLOW = 65_520;

/**
 * Why a value does not belong in a tensor of `datatype`, as the end of a sentence ("INT8 needs integers from -128 to
 * 127"), or undefined when it does. null (a missing value) fits every datatype; NaN fits the float ones (numpy's, and
 * so tritonclient's, missing value), infinities none.
 */
export function valueProblem(datatype: V2Datatype, value: unknown): string | undefined {
  if (value === null) return undefined;
  const range = INTEGER_RANGES[datatype];
  if (range) {
    const [min, max] = range;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return undefined;
    return `${datatype} needs integers from ${min} to ${max}${max === SAFE ? ' (the integers this server represents exactly)' : ''}`;
  }
  switch (datatype) {
    case 'FP16':
      return typeof value === 'number' && (Number.isNaN(value) || Math.abs(value) < FP16_OVERFLOW) ? undefined : `FP16 needs finite numbers within ±65504`;
    case 'FP32':
      // Math.fround rounds as a float32 store does: what overflows it would reach the model as an infinity.
      return typeof value === 'number' && (Number.isNaN(value) || Number.isFinite(Math.fround(value))) ? undefined : 'FP32 needs finite numbers within ±3.4028234663852886e38';
    case 'FP64':
      return typeof value === 'number' && !(value === Infinity || value === -Infinity) ? undefined : 'FP64 needs finite numbers';
    case 'BOOL':
      return typeof value === 'boolean' ? undefined : 'BOOL needs true or false';
    case 'BYTES':
      return typeof value === 'string' ? undefined : 'BYTES needs strings';
    default:
      return undefined;
  }
}
