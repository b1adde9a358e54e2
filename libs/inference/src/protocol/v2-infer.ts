import {
  describeZodError,
  INFERENCE_QUALITY_PARAMETERS,
  v2InferRequestSchema,
  type V2Datatype,
  type V2InferInput,
  type V2InferRequest,
  type V2InferResponse,
} from '@slipway/contracts';
import { encodeColumns, TransformInputError, type EncodedFeatures, type ModelSignature, type SignatureInput } from '@slipway/ml';
import { z } from 'zod';
import { InferenceInputError } from '@slipway/model-runtimes';
import type { LoadedTrainedModel } from '../repository/loaded-model';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './request-limits';
import { outputNamesOf, predictionsOf, v2Output, type OutputName, type Predictions } from './model-outputs';
import { checkV2RequestBounds } from './request-bounds';
import { flatData } from '@slipway/model-runtimes';

/** Raw values of one feature, a row each; null where the client sent no value (the transform imputes it). */
export type RawColumn = (number | null)[] | (string | null)[];

/** A V2 request checked against a model's signature: one column of raw values per feature (all null for a feature it left out). */
export interface DecodedV2Request {
  id?: string;
  columns: Record<string, RawColumn>;
  rowCount: number;
  /** Outputs to return, in the order the request listed them (all of them when it listed none). */
  outputs: OutputName[];
}
/** A signature's inputs by name, built once per loaded model rather than once per request. */
const inputsBySignature = new WeakMap<ModelSignature, ReadonlyMap<string, SignatureInput>>();
const NUMERIC_DATATYPES = new Set<V2Datatype>(['INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'FP16', 'FP32', 'FP64']);

/**
 * Parses a V2 request body and checks it against the request limits and the signature: inputs named after features,
 * shaped `[N]` or `[N, 1]`, numeric features in any numeric datatype with values in its range, the others
 * (categories, dates) as BYTES strings, and the same N everywhere; null is a missing value, and a feature left out is
 * missing in every row (the transform imputes both). Data may be flat or nested (flattened row-major).
 * @throws RequestTooLargeError for more rows or values than the limits.
 * @throws InferenceInputError naming the field, input or output at fault.
 */
function decodeV2InferRequest(signature: ModelSignature, body: unknown, limits: RequestLimits): DecodedV2Request {
  checkV2RequestBounds(body, limits, true);
  const request = parseV2InferRequest(body);

  const expected = inputsByName(signature);
  const columns: Record<string, RawColumn> = {};
  let rowCount: number | undefined;
  let firstInput = '';
  for (const input of request.inputs) {
    const feature = expected.get(input.name);
    if (!feature) {
      throw new InferenceInputError(
        `input "${input.name}" is not a feature of this model; expected ${[...expected.keys()].map((name) => `"${name}"`).join(', ')}`,
        input.name,
      );
    }
    if (columns[input.name]) throw new InferenceInputError(`input "${input.name}" is given more than once`, input.name);
    const rows = rowsOf(input);
    if (rowCount === undefined) {
      rowCount = rows;
      firstInput = input.name;
    } else if (rows !== rowCount) {
      throw new InferenceInputError(
        `input "${input.name}" has ${rows} rows but input "${firstInput}" has ${rowCount}; every input needs the same batch size`,
        input.name,
      );
    }
    columns[input.name] = feature.datatype === 'BYTES' ? stringValues(input) : numericValues(input);
  }
  const rows = rowCount ?? 0;
  // Every feature gets a column, so every sample of a version logs the same input columns.
  for (const name of expected.keys()) columns[name] ??= new Array<null>(rows).fill(null);
  return { id: request.id, columns, rowCount: rows, outputs: requestedOutputs(signature, request.outputs) };
}

/** Values the transform stood in for, per feature: missing ones it imputed, categories it never saw in training. */
export interface InputQuality {
  imputed: Readonly<Record<string, number>>;
  unseen: Readonly<Record<string, number>>;
}

/** A V2 inference with what happened on the way: the decoded request, the predictions, the inputs' quality and phase timings. */
export interface V2InferenceRun {
  request: DecodedV2Request;
  predictions: Predictions;
  quality: InputQuality;
  response: V2InferResponse;
  /** Decoding and transforming the request, in microseconds. */
  inputUs: number;
  /** Building the response, in microseconds. */
  outputUs: number;
}

/**
 * Answers a V2 inference request with a loaded model: decode, apply the bundled transform, predict (batched with
 * other requests when batching is on). A classifier's response holds `probabilities` (FP32, [N, classes]) and
 * `label` (BYTES, [N], the most probable class), a regressor's `prediction` (FP32, [N], in the label's units), or only
 * the outputs the request asked for; `parameters` count the values the transform imputed or did not know.
 * @throws InferenceInputError naming the input or output at fault, before the request can join a batch.
 */
export async function runV2Inference(loaded: LoadedTrainedModel, body: unknown, limits: RequestLimits = DEFAULT_REQUEST_LIMITS): Promise<V2InferenceRun> {
  const startedAt = performance.now();
  const request = decodeV2InferRequest(loaded.signature, body, limits);
  const encoded = encodeForModel(loaded, request.columns, request.rowCount);
  const inputUs = (performance.now() - startedAt) * 1000;
  const raw = await loaded.predictor.predict(encoded.features, encoded.rowCount);
  const outputStartedAt = performance.now();
  const predictions = predictionsOf(loaded.signature, raw);
  const quality = { imputed: encoded.imputed, unseen: encoded.unseen };
  const response = buildV2InferResponse(loaded, request, predictions, quality);
  return { request, predictions, quality, response, inputUs, outputUs: (performance.now() - outputStartedAt) * 1000 };
}

/** Applies the model's bundled transform to raw feature columns. @throws InferenceInputError naming the feature. */
export function encodeForModel(loaded: LoadedTrainedModel, columns: Readonly<Record<string, ArrayLike<number | string | null>>>, rowCount: number): EncodedFeatures {
  try {
    return encodeColumns(loaded.transform, columns, rowCount);
  } catch (error) {
    if (error instanceof TransformInputError) throw new InferenceInputError(error.message, error.feature);
    throw error;
  }
}

/** The V2 response the request asked for, with the counts of imputed and unseen values when there were any. */
function buildV2InferResponse(loaded: LoadedTrainedModel, request: Pick<DecodedV2Request, 'id' | 'rowCount' | 'outputs'>, predictions: Predictions, quality: InputQuality): V2InferResponse {
  const outputs = request.outputs.map((name) => v2Output(name, predictions, request.rowCount));
  const response: V2InferResponse = { model_name: loaded.name, model_version: String(loaded.version), outputs };
  if (request.id !== undefined) response.id = request.id;
  const [imputed, unseen] = [total(quality.imputed), total(quality.unseen)];
  if (imputed > 0 || unseen > 0) {
    response.parameters = {
      ...(imputed > 0 ? { [INFERENCE_QUALITY_PARAMETERS.imputed]: imputed } : {}),
      ...(unseen > 0 ? { [INFERENCE_QUALITY_PARAMETERS.unseen]: unseen } : {}),
    };
  }
  return response;
}

function total(counts: Readonly<Record<string, number>>): number {
  let sum = 0;
  for (const name in counts) sum += counts[name] ?? 0;
  return sum;
}

function rowsOf(input: V2InferInput): number {
  const [rows, columns, ...rest] = input.shape;
  if (rest.length > 0 || (columns !== undefined && columns !== 1)) {
    throw new InferenceInputError(
      `input "${input.name}" has shape [${input.shape.join(', ')}]; expected [N] or [N, 1] (one value per row)`,
      input.name,
    );
  }
  if (rows === 0) throw new InferenceInputError(`input "${input.name}" has no rows (shape [${input.shape.join(', ')}])`, input.name);
  return rows;
}

function inputsByName(signature: ModelSignature): ReadonlyMap<string, SignatureInput> {
  let inputs = inputsBySignature.get(signature);
  if (!inputs) {
    inputs = new Map(signature.inputs.map((input) => [input.name, input]));
    inputsBySignature.set(signature, inputs);
  }
  return inputs;
}

/** Values were checked against their datatype's range (checkV2RequestBounds): only the datatype's kind is checked here. */
function numericValues(input: V2InferInput): (number | null)[] {
  // BOOL into a numeric feature: true → 1, false → 0.
  if (input.datatype === 'BOOL') return flatData(input).map((value) => (value === null ? null : value ? 1 : 0));
  if (!NUMERIC_DATATYPES.has(input.datatype)) {
    throw new InferenceInputError(
      `input "${input.name}" is numeric and needs a numeric datatype (FP*, INT*, UINT* or BOOL), not ${input.datatype}`,
      input.name,
    );
  }
  // NaN in a float input (numpy's, and so tritonclient's, missing value) passes: the encoder imputes it like null.
  return flatData(input) as (number | null)[];
}

function stringValues(input: V2InferInput): (string | null)[] {
  if (input.datatype !== 'BYTES') {
    throw new InferenceInputError(`input "${input.name}" is categorical and needs datatype BYTES, not ${input.datatype}`, input.name);
  }
  return flatData(input) as (string | null)[];
}

function requestedOutputs(signature: ModelSignature, outputs: { name: string }[] | undefined): OutputName[] {
  return pickOutputs(outputNamesOf(signature), outputs) as OutputName[];
}

/**
 * The outputs a request names, in its order, or all of them when it names none.
 * @throws InferenceInputError naming an output the model does not have, or one asked for twice.
 */
export function pickOutputs(available: readonly string[], requested: readonly { name: string }[] | undefined): string[] {
  if (!requested || requested.length === 0) return [...available];
  const names: string[] = [];
  for (const { name } of requested) {
    if (!available.includes(name)) {
      throw new InferenceInputError(`output "${name}" does not exist; this model has outputs ${available.map((output) => `"${output}"`).join(', ')}`, name);
    }
    if (names.includes(name)) throw new InferenceInputError(`output "${name}" is requested more than once`, name);
    names.push(name);
  }
  return names;
}

/** @throws InferenceInputError naming every field the body gets wrong (and the input it belongs to). */
export function parseV2InferRequest(body: unknown): V2InferRequest {
  const parsed = v2InferRequestSchema.safeParse(body);
  if (!parsed.success) throw schemaError(parsed.error, body);
  return parsed.data;
}

/** One message per schema issue; an issue under `inputs.<i>` also names that input when the body gave it a name. */
function schemaError(error: z.ZodError, body: unknown): InferenceInputError {
  const inputs = (body as { inputs?: unknown } | null)?.inputs;
  let field: string | undefined;
  const messages = error.issues.map((issue) => {
    const [root, index] = issue.path;
    const raw = root === 'inputs' && typeof index === 'number' && Array.isArray(inputs) ? inputs[index] : undefined;
    const name = (raw as { name?: unknown } | undefined)?.name;
    const message = describeZodError(new z.ZodError([issue]));
    if (typeof name !== 'string' || name === '') return message;
    field ??= name;
    return `${message} (input "${name}")`;
  });
  return new InferenceInputError(`invalid V2 inference request: ${messages.join('; ')}`, field);
}
