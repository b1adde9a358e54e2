/** Runs a model on one request's rows; resolves that request's outputs. */
export interface Predictor<I = Float32Array, O = Float32Array> {
  predict(input: I, rowCount: number): Promise<O>;
}

/** The model call a predictor wraps: synchronous for tfjs on wasm, a promise for onnxruntime's own threads. */
export type ModelCall<I = Float32Array, O = Float32Array> = (input: I, rowCount: number) => O | Promise<O>;

/** How several requests' inputs join into one model call along the rows, and how its outputs split back. */
export interface BatchCodec<I, O> {
  concat(inputs: readonly I[], rows: number): I;
  /** Rows [start, end) of a batch's outputs. */
  slice(outputs: O, start: number, end: number): O;
}

/** Row-major float32 matrices (Slipway's own models: encoded features in, probabilities or values out). */
export function rowMatrixCodec(inputWidth: number, outputWidth: number): BatchCodec<Float32Array, Float32Array> {
  return {
    concat(inputs, rows) {
      if (inputs.length === 1) return inputs[0] as Float32Array;
      const joined = new Float32Array(rows * inputWidth);
      let offset = 0;
      for (const input of inputs) {
        joined.set(input, offset);
        offset += input.length;
      }
      return joined;
    },
    slice: (outputs, start, end) => outputs.slice(start * outputWidth, end * outputWidth),
  };
}
