import type { V2InferOutput, V2InferResponse } from '@slipway/contracts';
import { InferenceInputError, v2Output, type HostTensor } from '@slipway/model-runtimes';
import type { LoadedTensorModel } from '../repository/loaded-model';
import { checkV2RequestBounds } from './request-bounds';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './request-limits';
import { parseV2InferRequest, pickOutputs } from './v2-infer';

/** A V2 inference on an imported model, with what the gateway records of it. */
export interface V2TensorInferenceRun {
  response: V2InferResponse;
  rows: number;
  /** The checked inputs, for a shadow version to run as well. */
  inputs: HostTensor[];
  outputs: HostTensor[];
  /** Decoding and converting the request, in microseconds. */
  inputUs: number;
  /** Building the response, in microseconds. */
  outputUs: number;
}

/**
 * Answers a V2 inference request with an imported model: its own tensors in (checked against the model's names,
 * datatypes and shapes before the request can join a batch), the outputs the request asked for (all the version
 * serves when it named none) out.
 * @throws RequestTooLargeError for more rows or values than the limits.
 * @throws InferenceInputError naming the input or output at fault.
 */
export async function runV2TensorInference(loaded: LoadedTensorModel, body: unknown, limits: RequestLimits = DEFAULT_REQUEST_LIMITS): Promise<V2TensorInferenceRun> {
  const startedAt = performance.now();
  checkV2RequestBounds(body, limits, loaded.batched);
  const request = parseV2InferRequest(body);
  const inputs = loaded.runtime.prepare(request.inputs);
  const names = pickOutputs(loaded.signature.outputs.map(({ name }) => name), request.outputs);
  const rows = rowsOf(loaded, inputs);
  const inputUs = (performance.now() - startedAt) * 1000;
  const outputs = await loaded.predictor.predict(inputs, rows);
  const outputStartedAt = performance.now();
  const byName = new Map(outputs.map((output) => [output.name, output]));
  const answered: V2InferOutput[] = names.map((name) => v2Output(byName.get(name) as HostTensor));
  const response: V2InferResponse = { model_name: loaded.name, model_version: String(loaded.version), outputs: answered };
  if (request.id !== undefined) response.id = request.id;
  return { response, rows, inputs, outputs, inputUs, outputUs: (performance.now() - outputStartedAt) * 1000 };
}

/**
 * The request's batch size: the first dimension its inputs share when the model batches along it (bounded by the
 * version's max batch size), else 1 — the whole request is one sample of a model without a batch dimension.
 */
export function rowsOf(loaded: LoadedTensorModel, inputs: readonly HostTensor[]): number {
  if (!loaded.batched) return 1;
  const [first, ...others] = inputs;
  const rows = first?.shape[0] ?? 1;
  const other = others.find((input) => input.shape[0] !== rows);
  if (first && other) {
    throw new InferenceInputError(`input "${other.name}" has ${other.shape[0]} rows but input "${first.name}" has ${rows}; every input needs the same batch size`, other.name);
  }
  if (first && loaded.maxRequestRows !== undefined && rows > loaded.maxRequestRows) {
    throw new InferenceInputError(`input "${first.name}" has ${rows} rows; this model takes at most ${loaded.maxRequestRows} per request (max_batch_size)`, first.name);
  }
  return rows;
}
