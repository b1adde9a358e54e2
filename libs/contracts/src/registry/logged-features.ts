import type { TensorSignature } from './model.schema';

/** A `[N, k]` input is logged as k feature columns up to this width; wider ones (images, embeddings) are not logged. */
export const MAX_LOGGED_INPUT_WIDTH = 32;

/** The feature column serving logs for column `column` of an input `width` values per row wide: `X`, or `X[0]` … */
export function loggedColumnName(input: string, column: number, width: number): string {
  return width === 1 ? input : `${input}[${column}]`;
}

/**
 * The feature columns serving logs for an imported model's inputs, as far as the signature's shapes tell: a `[N]` or
 * `[N, 1]` input is one column, a `[N, k]` one (k ≤ 32) k columns. An input whose width is dynamic or wider, or of
 * more dimensions, has none that are known before a request.
 */
export function loggedFeatureColumns(signature: TensorSignature): string[] {
  return signature.inputs.flatMap(({ name, shape }) => {
    const width = shape.length === 1 ? 1 : shape.length === 2 ? (shape[1] ?? -1) : -1;
    if (width < 1 || width > MAX_LOGGED_INPUT_WIDTH) return [];
    return Array.from({ length: width }, (_, column) => loggedColumnName(name, column, width));
  });
}
