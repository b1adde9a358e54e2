import { randomUUID } from 'node:crypto';
import { DEFAULT_SERVING_ALIAS, type V2InferResponse } from '@slipway/contracts';
import { ModelNotFoundError } from '../errors/model-not-found.error';
import type { RecordedRequest } from '../logging/prediction-recorder';
import type { PredictionSample } from '../logging/prediction-sample';
import { tensorSampleOf } from '../logging/tensor-sample';
import { answersOf, disagreements, predictionsOf, type Predictions } from '../protocol/model-outputs';
import { decodeV1Instances } from '../protocol/v1-predict';
import { decodeV1TensorInstances, v1TensorPredictions } from '../protocol/v1-tensor-predict';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from '../protocol/request-limits';
import { encodeForModel, runV2Inference, type InputQuality, type RawColumn } from '../protocol/v2-infer';
import { rowsOf, runV2TensorInference } from '../protocol/v2-tensor-infer';
import { jsonValues as jsonValuesOf, type HostTensor } from '@slipway/model-runtimes';
import { isLoadedTrained, type LoadedModel, type LoadedTensorModel, type LoadedTrainedModel } from '../repository/loaded-model';
import type { ModelRepository } from '../repository/model-repository';
import type { RouteDecision, TrafficRouter } from '../routing/traffic-router';
import type { InferenceStatistics } from '../statistics/inference-statistics';

export interface RequestOutcome extends RecordedRequest {
  route: RouteDecision['via'] | 'addressed' | 'fallback';
  target: string;
  /** Inputs and predictions of a sampled successful prediction, for drift and live accuracy (by reference: listeners read, never write). */
  prediction?: PredictionSample;
  /** Values of a successful request the transform imputed or did not know, per feature. */
  quality?: InputQuality;
}

export interface GatewayOptions {
  /** Share of successful predictions whose inputs and labels are reported. @defaultValue 1 */
  predictionSampleRate?: number;
  /** Rows and values one request may hold (SLIPWAY_SERVING_MAX_ROWS, SLIPWAY_SERVING_MAX_ELEMENTS). @defaultValue DEFAULT_REQUEST_LIMITS */
  limits?: RequestLimits;
  random?: () => number;
}

export interface ShadowOutcome {
  model: string;
  champion: number;
  challenger: string;
  rows: number;
  disagreements: number;
  /** Set when the challenger could not answer; its failure never reaches the client. */
  error?: string;
}

export interface GatewayListener {
  request(outcome: RequestOutcome): void;
  shadow(outcome: ShadowOutcome): void;
}

interface Answered<T> {
  answer: T;
  /** Model version that answered, as `name@version`. */
  servedBy: string;
  /** The request's V2 id, or one made up: the key `POST /api/feedback` takes. */
  predictionId: string;
}

/** What a trained model's request leaves for sampling and shadowing: raw feature columns and predictions. */
interface TabularResult {
  predictions: Predictions;
  quality: InputQuality;
  columns: Record<string, RawColumn>;
}

/** What an imported model's request leaves for shadowing: its checked input tensors and the outputs they gave. */
interface TensorResult {
  inputs: HostTensor[];
  outputs: HostTensor[];
}

interface RunResult<T> {
  answer: T;
  rows: number;
  tabular?: TabularResult;
  tensors?: TensorResult;
  requestId?: string;
}

/**
 * The entry point of every inference: resolves who answers (addressed version, pinned route, weighted split,
 * fallback to production), runs the model under the repository's in-flight guard, keeps Triton-style
 * statistics, and sends the shadow alias a copy after the answer has left.
 */
export class InferenceGateway {
  private readonly sampleRate: number;
  private readonly random: () => number;
  private readonly limits: RequestLimits;

  constructor(
    private readonly repository: ModelRepository,
    private readonly router: TrafficRouter,
    private readonly statistics: InferenceStatistics,
    private readonly listener: GatewayListener,
    options: GatewayOptions = {},
  ) {
    this.sampleRate = options.predictionSampleRate ?? 1;
    this.random = options.random ?? Math.random;
    this.limits = options.limits ?? DEFAULT_REQUEST_LIMITS;
  }

  /** @param versionOrAlias from the URL; when absent the traffic policy decides, honouring `pinned`. */
  inferV2(model: string, versionOrAlias: string | undefined, body: unknown, pinned?: string): Promise<Answered<V2InferResponse>> {
    return this.answer(model, versionOrAlias, pinned, async (loaded) => {
      if (!isLoadedTrained(loaded)) {
        const run = await runV2TensorInference(loaded, body, this.limits);
        this.statistics.recordPhases(loaded.name, loaded.version, run.inputUs, run.outputUs);
        return { answer: run.response, rows: run.rows, tensors: { inputs: run.inputs, outputs: run.outputs }, requestId: run.response.id };
      }
      const run = await runV2Inference(loaded, body, this.limits);
      this.statistics.recordPhases(loaded.name, loaded.version, run.inputUs, run.outputUs);
      const tabular = { predictions: run.predictions, quality: run.quality, columns: run.request.columns };
      return { answer: run.response, rows: run.request.rowCount, tabular, requestId: run.request.id };
    });
  }

  /**
   * KServe V1 `:predict`: instances in, one prediction per instance out — a trained classifier's label, a regressor's
   * value, an imported model's output row (an object of its outputs when it has several).
   */
  predictV1(model: string, body: unknown, pinned?: string): Promise<Answered<{ predictions: unknown[] }>> {
    return this.answer(model, undefined, pinned, async (loaded) => {
      if (!isLoadedTrained(loaded)) {
        const inputs = loaded.runtime.prepare(decodeV1TensorInstances(loaded, body, this.limits));
        const rows = rowsOf(loaded, inputs);
        const outputs = await loaded.predictor.predict(inputs, rows);
        const served = loaded.signature.outputs.map(({ name }) => outputs.find((output) => output.name === name) as HostTensor);
        return { answer: { predictions: v1TensorPredictions(served, rows) }, rows, tensors: { inputs, outputs } };
      }
      const { columns, rowCount } = decodeV1Instances(loaded.signature, body, this.limits);
      const encoded = encodeForModel(loaded, columns, rowCount);
      const predictions = predictionsOf(loaded.signature, await loaded.predictor.predict(encoded.features, encoded.rowCount));
      const quality = { imputed: encoded.imputed, unseen: encoded.unseen };
      return { answer: { predictions: answersOf(predictions, rowCount) }, rows: rowCount, tabular: { predictions, quality, columns } };
    });
  }

  private async answer<T>(
    model: string,
    versionOrAlias: string | undefined,
    pinned: string | undefined,
    run: (loaded: LoadedModel) => Promise<RunResult<T>>,
  ): Promise<Answered<T>> {
    const decision: RouteDecision = versionOrAlias ? { target: versionOrAlias, via: 'pinned' } : this.router.route(model, pinned);
    const route: RequestOutcome['route'] = versionOrAlias ? 'addressed' : decision.via;
    const target = this.routable(model, decision);
    const startedAt = performance.now();
    return this.repository.withModel(model, target, async (loaded) => {
      try {
        const result = await run(loaded);
        const durationUs = (performance.now() - startedAt) * 1000;
        const predictionId = result.requestId ?? randomUUID();
        this.statistics.recordRequest(loaded.name, loaded.version, durationUs, true, result.rows);
        const outcome: RequestOutcome = { model, version: loaded.version, rows: result.rows, durationUs, ok: true, route: target === decision.target ? route : 'fallback', target };
        if (result.tabular) outcome.quality = result.tabular.quality;
        if (this.random() < this.sampleRate) outcome.prediction = sampleOf(loaded, predictionId, result);
        this.listener.request(outcome);
        if (decision.shadow) this.shadow(loaded, decision.shadow, result);
        return { answer: result.answer, servedBy: `${loaded.name}@${loaded.version}`, predictionId };
      } catch (error) {
        const durationUs = (performance.now() - startedAt) * 1000;
        this.statistics.recordRequest(loaded.name, loaded.version, durationUs, false, 0);
        this.listener.request({ model, version: loaded.version, rows: 0, durationUs, ok: false, route, target });
        throw error;
      }
    });
  }

  /** A split that lands on an alias this replica has not loaded (not registered yet) falls back to production. */
  private routable(model: string, decision: RouteDecision): string {
    if (decision.via !== 'split') return decision.target;
    try {
      this.repository.resolve(model, decision.target);
      return decision.target;
    } catch (error) {
      if (error instanceof ModelNotFoundError) return DEFAULT_SERVING_ALIAS;
      throw error;
    }
  }

  private shadow(champion: LoadedModel, challenger: string, result: RunResult<unknown>): void {
    const outcome = { model: champion.name, champion: champion.version, challenger, rows: result.rows };
    setImmediate(() => {
      this.repository
        .withModel(champion.name, challenger, async (shadow) => {
          const startedAt = performance.now();
          const disagreements = await this.challenge(champion, shadow, result);
          // The challenger executed these rows like any request: its statistics count them, or it would show more executions than inferences.
          this.statistics.recordRequest(shadow.name, shadow.version, (performance.now() - startedAt) * 1000, true, result.rows);
          this.listener.shadow({ ...outcome, disagreements });
        })
        .catch((error: unknown) => this.listener.shadow({ ...outcome, disagreements: 0, error: (error as Error).message }));
    });
  }

  /** Runs the champion's request on the challenger; resolves the rows on which they disagree. */
  private async challenge(champion: LoadedModel, shadow: LoadedModel, result: RunResult<unknown>): Promise<number> {
    if (isLoadedTrained(champion) && isLoadedTrained(shadow) && result.tabular) return challengeTabular(champion, shadow, result.rows, result.tabular);
    if (!isLoadedTrained(champion) && !isLoadedTrained(shadow) && result.tensors) return challengeTensors(champion, shadow, result.rows, result.tensors);
    throw new Error(`${shadow.name}@${shadow.version} (${shadow.format}) cannot shadow ${champion.name}@${champion.version} (${champion.format}): they take different inputs`);
  }
}

async function challengeTabular(champion: LoadedTrainedModel, shadow: LoadedTrainedModel, rows: number, { columns, predictions }: TabularResult): Promise<number> {
  const encoded = encodeForModel(shadow, columns, rows);
  const theirs = predictionsOf(shadow.signature, await shadow.predictor.predict(encoded.features, encoded.rowCount));
  return disagreements(champion.signature, predictions, theirs, rows);
}

/** Rows whose first served output differs at all between the two versions. */
async function challengeTensors(champion: LoadedTensorModel, shadow: LoadedTensorModel, rows: number, { inputs, outputs }: TensorResult): Promise<number> {
  const theirs = await shadow.predictor.predict(shadow.runtime.prepare(inputs.map((input) => ({ ...input, data: jsonValuesOf(input) }))), rows);
  const name = champion.signature.outputs[0]?.name;
  const ours = outputs.find((output) => output.name === name);
  const other = theirs.find((output) => output.name === name);
  if (!ours || !other) throw new Error(`the challenger has no output "${name}" to compare`);
  const rowSize = ours.data.length / rows;
  let differing = 0;
  for (let row = 0; row < rows; row += 1) {
    for (let index = row * rowSize; index < (row + 1) * rowSize; index += 1) {
      if (ours.data[index] !== other.data[index]) {
        differing += 1;
        break;
      }
    }
  }
  return differing;
}

/** What monitoring will need of this prediction: a trained model's by reference (its payload is built when the record is sent), an imported one's read from its tensors now. */
function sampleOf(loaded: LoadedModel, id: string, { rows, tabular, tensors }: RunResult<unknown>): PredictionSample | undefined {
  if (tabular) return { id, at: Date.now(), columns: tabular.columns, predictions: tabular.predictions, rows };
  if (tensors && !isLoadedTrained(loaded)) return tensorSampleOf(id, rows, loaded.signature, tensors.inputs, tensors.outputs);
  return undefined;
}
