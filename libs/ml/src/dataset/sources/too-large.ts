import { DatasetError } from '../../errors/dataset.error';

/** The error for a source above the size limit, with both sizes in MiB. */
export function tooLarge(description: string, bytes: number, maxBytes: number): DatasetError {
  const mib = (value: number) => `${(value / 1024 ** 2).toFixed(1)} MiB`;
  const size = Number.isFinite(bytes) ? `${mib(bytes)} (${bytes} bytes)` : 'more';
  return new DatasetError(`${description} is ${size}, above the limit of ${mib(maxBytes)} (${maxBytes} bytes, SLIPWAY_DATA_MAX_BYTES)`);
}
