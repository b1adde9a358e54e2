/** Runs a model on row-major encoded features; resolves row-major outputs (rows × output width). */
export interface Predictor {
  predict(features: Float32Array, rowCount: number): Promise<Float32Array>;
}

/** The synchronous model call a predictor wraps. */
export type ModelCall = (features: Float32Array, rowCount: number) => Float32Array;
