import type { HostTensor, TensorData } from '@slipway/model-runtimes';
import type { BatchCodec } from './predictor';

/**
 * An imported model's tensors along their first (batch) dimension: the requests' inputs are joined input by input,
 * and each output is cut back into every request's rows.
 */
export const tensorBatchCodec: BatchCodec<HostTensor[], HostTensor[]> = {
  concat(requests, rows) {
    if (requests.length === 1) return requests[0] as HostTensor[];
    const first = requests[0] as HostTensor[];
    return first.map((tensor, index) => ({
      ...tensor,
      shape: [rows, ...tensor.shape.slice(1)],
      data: joined(requests.map((inputs) => (inputs[index] as HostTensor).data)),
    }));
  },
  slice(outputs, start, end) {
    return outputs.map((tensor) => {
      const rowSize = tensor.shape.slice(1).reduce((size, dimension) => size * dimension, 1);
      return { ...tensor, shape: [end - start, ...tensor.shape.slice(1)], data: tensor.data.slice(start * rowSize, end * rowSize) as TensorData };
    });
  },
};

function joined(parts: readonly TensorData[]): TensorData {
  const first = parts[0] as TensorData;
  if (Array.isArray(first)) return (parts as string[][]).flat();
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const Typed = first.constructor as new (length: number) => Exclude<TensorData, string[]>;
  const result = new Typed(length);
  let offset = 0;
  for (const part of parts) {
    (result as { set(values: ArrayLike<number | bigint>, offset: number): void }).set(part as ArrayLike<number | bigint>, offset);
    offset += part.length;
  }
  return result;
}
