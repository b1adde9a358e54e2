import { loggedColumnName, MAX_LOGGED_INPUT_WIDTH, type TensorSignature } from '@slipway/contracts';
import { jsonValues, type HostTensor } from '@slipway/model-runtimes';
import type { RawColumn } from '../protocol/v2-infer';
import type { PredictionSample } from './prediction-sample';

/**
 * An imported model's request as a prediction sample: its inputs as feature columns (a `[N]` or `[N, 1]` input one
 * column, a `[N, k]` one k columns `name[0]` … `name[k-1]`), and one answer per row — a scalar output's value (a
 * classifier's label tensor, a regressor's prediction), else the most probable column of the first `[N, k]` output,
 * named by its class labels when the model has them. Undefined when no output gives one answer per row.
 */
export function tensorSampleOf(
  id: string,
  rows: number,
  signature: TensorSignature,
  inputs: readonly HostTensor[],
  outputs: readonly HostTensor[],
): PredictionSample | undefined {
  const served = signature.outputs.map(({ name }) => outputs.find((output) => output.name === name)).filter((output): output is HostTensor => output !== undefined);
  const labels = answersOf(served, rows, signature.classLabels ?? {});
  if (labels === undefined) return undefined;
  const columns: Record<string, RawColumn> = {};
  for (const input of inputs) {
    const width = rowWidth(input, rows);
    if (width === undefined || width > MAX_LOGGED_INPUT_WIDTH) continue;
    const values = loggedValues(input);
    if (width === 1) columns[input.name] = values;
    else for (let column = 0; column < width; column += 1) columns[loggedColumnName(input.name, column, width)] = values.filter((_, index) => index % width === column) as RawColumn;
  }
  return { id, at: Date.now(), columns, rows, labels };
}

function answersOf(outputs: readonly HostTensor[], rows: number, classLabels: Readonly<Record<string, readonly (string | number)[]>>): (string | number)[] | undefined {
  const scalar = outputs.find((output) => rowWidth(output, rows) === 1 && output.datatype !== 'BOOL');
  if (scalar) return loggedValues(scalar) as (string | number)[];
  const scores = outputs.find((output) => output.shape.length === 2 && output.shape[0] === rows && output.datatype.startsWith('FP'));
  if (!scores) return undefined;
  const width = scores.shape[1] ?? 0;
  const values = jsonValues(scores) as number[];
  const names = classLabels[scores.name];
  return Array.from({ length: rows }, (_, row) => {
    let best = 0;
    for (let column = 1; column < width; column += 1) if ((values[row * width + column] ?? -Infinity) > (values[row * width + best] ?? -Infinity)) best = column;
    return names?.[best] ?? best;
  });
}

/** Values per row of a `[N]`, `[N, 1]` or `[N, k]` tensor; undefined for any other shape. */
function rowWidth({ shape }: HostTensor, rows: number): number | undefined {
  if (shape[0] !== rows || shape.length > 2) return undefined;
  return shape.length === 1 ? 1 : shape[1];
}

function loggedValues(tensor: HostTensor): RawColumn {
  const values = jsonValues(tensor);
  return (tensor.datatype === 'BOOL' ? (values as boolean[]).map(Number) : values) as RawColumn;
}
