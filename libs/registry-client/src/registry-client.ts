import {
  aliasHistoryResponseSchema,
  apiTokenListResponseSchema,
  apiTokenSchema,
  IDEMPOTENCY_KEY_HEADER,
  issuedTokenResponseSchema,
  principalSchema,
  UPLOAD_CLIENT_HEADER,
  cacheExplanationSchema,
  datasetLineageSchema,
  describeZodError,
  IMPORT_REFERENCE_PART,
  importModelsResponseSchema,
  modelLineageSchema,
  modelVersionSchema,
  registeredModelSchema,
  runComparisonSchema,
  runSchema,
  runSearchResponseSchema,
  runSummarySchema,
  runTrainingCurvesSchema,
  scheduleListResponseSchema,
  scheduleSchema,
  type AliasAuditEntry,
  type ApiTokenRecord,
  type IssuedTokenResponse,
  type IssueTokenRequest,
  type Principal,
  type CacheExplanation,
  type CreateScheduleRequest,
  type DatasetLineage,
  type ImportedModelFormat,
  type ImportedModelVersion,
  type MetricOperator,
  type ModelLineage,
  type ModelVersion,
  type RegisteredModel,
  type Run,
  type RunComparison,
  type RunStatus,
  type RunTrainingCurves,
  type RunSummary,
  type Schedule,
  type SubmitRunRequest,
  type Tags,
  type TrackedRunSummary,
} from '@slipway/contracts';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RegistryApiError } from './registry-api.error';

// A registry restarting, or answering 503 while Redis is away, gets two more tries with the same Idempotency-Key.
const SUBMIT_ATTEMPTS = 3;
const SUBMIT_RETRY_DELAY_MS = 1_000;


export interface RegistryClientOptions {
  /** Per-request timeout. @defaultValue 10 000 ms */
  timeoutMs?: number;
  /** Sent as `Authorization: Bearer <token>` (a SLIPWAY_API_TOKENS entry): needed to move protected aliases. */
  token?: string;
  /** Timeout of a model import, which uploads the model's files. @defaultValue 600 000 ms */
  importTimeoutMs?: number;
}

/** One file of a model import: its '/'-separated path starts with the imported file's or folder's name. */
export interface ImportFile {
  path: string;
  bytes: Uint8Array;
}

export interface ImportOptions {
  /** Absent: the registry reads it from the files. */
  format?: ImportedModelFormat;
  /** Pointed at the imported version; a protected alias needs a token with promote:<alias>. */
  alias?: string;
  description?: string;
  tags?: Tags;
  /** Reference rows (a CSV whose columns are the model's logged features) drift monitoring compares the inputs with. */
  reference?: ImportFile;
}

export interface ImportOutcome {
  versions: ImportedModelVersion[];
  /** False when the registry had imported the same files before (it answered 200, not 201). */
  created: boolean;
}

/** Run search filters; see GET /api/runs/search. */
export interface RunSearchFilter {
  experiment?: string;
  status?: RunStatus;
  /** Runs carrying every one of these tags. */
  tags?: Record<string, string>;
  /** e.g. `{ key: 'test.accuracy', operator: '>=', value: 0.9 }`, on the latest value of the metric */
  metrics?: { key: string; operator: MetricOperator; value: number }[];
  /** `createdAt`, `finishedAt` or `metric.<key>` @defaultValue 'createdAt' */
  orderBy?: string;
  /** @defaultValue 'desc' */
  order?: 'asc' | 'desc';
  limit?: number;
}

/** Typed client of the model-registry REST API; every response is validated against its contract. */
export class RegistryClient {
  private readonly timeoutMs: number;
  private readonly importTimeoutMs: number;
  private readonly token: string | undefined;

  constructor(
    readonly baseUrl: string,
    options: RegistryClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.importTimeoutMs = options.importTimeoutMs ?? 600_000;
    this.token = options.token;
  }

  /**
   * `noCache: true` runs every step even when the cache holds its outputs; a list of step names, only those.
   * Sent with an Idempotency-Key, so retrying after a lost answer (the same key) never records a second run.
   */
  async submitRun(request: SubmitRunRequest, idempotencyKey: string = randomUUID()): Promise<Run> {
    const headers = { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey };
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.send('POST', '/api/runs', runSchema, request, this.timeoutMs, headers)).data;
      } catch (error) {
        const retryable = error instanceof RegistryApiError && (error.status === undefined || error.status === 503);
        if (!retryable || attempt >= SUBMIT_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, SUBMIT_RETRY_DELAY_MS * attempt));
      }
    }
  }

  getRun(id: string): Promise<Run> {
    return this.request('GET', `/api/runs/${encodeURIComponent(id)}`, runSchema);
  }

  getTrainingCurves(id: string): Promise<RunTrainingCurves> {
    return this.request('GET', `/api/runs/${encodeURIComponent(id)}/curves`, runTrainingCurvesSchema);
  }

  /** Queues a failed run's failed steps again, reusing what succeeded; 409 unless the run failed. */
  resumeRun(id: string): Promise<Run> {
    return this.request('POST', `/api/runs/${encodeURIComponent(id)}/resume`, runSchema);
  }

  /** Why a step of a run hit or missed the cache; `step` is a row of `run.steps` (`train[3]` for a grid's training). */
  explainCache(runId: string, step: string): Promise<CacheExplanation> {
    return this.request('GET', `/api/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(step)}/cache`, cacheExplanationSchema);
  }

  async listRuns(query: { limit?: number; status?: RunStatus } = {}): Promise<RunSummary[]> {
    const params = new URLSearchParams();
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.status) params.set('status', query.status);
    const suffix = params.size > 0 ? `?${params}` : '';
    const { runs } = await this.request('GET', `/api/runs${suffix}`, z.object({ runs: z.array(runSummarySchema) }));
    return runs;
  }

  async listModels(): Promise<RegisteredModel[]> {
    const { models } = await this.request('GET', '/api/models', z.object({ models: z.array(registeredModelSchema) }));
    return models;
  }

  getModel(name: string): Promise<RegisteredModel> {
    return this.request('GET', `/api/models/${encodeURIComponent(name)}`, registeredModelSchema);
  }

  setAlias(model: string, alias: string, version: number): Promise<ModelVersion> {
    return this.request('PUT', `/api/models/${encodeURIComponent(model)}/aliases/${encodeURIComponent(alias)}`, modelVersionSchema, { version });
  }

  async deleteAlias(model: string, alias: string): Promise<void> {
    await this.request('DELETE', `/api/models/${encodeURIComponent(model)}/aliases/${encodeURIComponent(alias)}`, z.unknown());
  }

  /** Who moved the alias, when, from and to which version; newest first. */
  async aliasHistory(model: string, alias: string): Promise<AliasAuditEntry[]> {
    const path = `/api/models/${encodeURIComponent(model)}/aliases/${encodeURIComponent(alias)}/history`;
    return (await this.request('GET', path, aliasHistoryResponseSchema)).entries;
  }

  /** Runs matching every filter given, with their experiment, tags and latest metrics. */
  async searchRuns(filter: RunSearchFilter = {}): Promise<TrackedRunSummary[]> {
    const params = new URLSearchParams();
    if (filter.experiment !== undefined) params.set('experiment', filter.experiment);
    if (filter.status !== undefined) params.set('status', filter.status);
    for (const [key, value] of Object.entries(filter.tags ?? {})) params.set(`tag.${key}`, value);
    // `metric.k>=0.9` travels as key `metric.k>` and value `0.9`: the query string splits at the first "=".
    for (const { key, operator, value } of filter.metrics ?? []) {
      const raw = `metric.${key}${operator}${value}`;
      const split = raw.indexOf('=');
      if (split === -1) params.append(raw, '');
      else params.append(raw.slice(0, split), raw.slice(split + 1));
    }
    if (filter.orderBy !== undefined) params.set('orderBy', filter.orderBy);
    if (filter.order !== undefined) params.set('order', filter.order);
    if (filter.limit !== undefined) params.set('limit', String(filter.limit));
    const suffix = params.size > 0 ? `?${params}` : '';
    return (await this.request('GET', `/api/runs/search${suffix}`, runSearchResponseSchema)).runs;
  }

  compareRuns(ids: readonly string[]): Promise<RunComparison> {
    return this.request('GET', `/api/runs/compare?${new URLSearchParams({ ids: ids.join(',') })}`, runComparisonSchema);
  }

  versionLineage(model: string, version: number): Promise<ModelLineage> {
    return this.request('GET', `/api/lineage/models/${encodeURIComponent(model)}/versions/${version}`, modelLineageSchema);
  }

  /** `slipway lineage <model>@<alias>` */
  aliasLineage(model: string, alias: string): Promise<ModelLineage> {
    return this.request('GET', `/api/lineage/models/${encodeURIComponent(model)}/aliases/${encodeURIComponent(alias)}`, modelLineageSchema);
  }

  datasetLineage(digest: string): Promise<DatasetLineage> {
    return this.request('GET', `/api/lineage/datasets/${encodeURIComponent(digest)}`, datasetLineageSchema);
  }

  /** Every model's version that the alias points at: what serving should load. */
  async aliasTargets(alias: string): Promise<ModelVersion[]> {
    const { targets } = await this.request('GET', `/api/aliases/${encodeURIComponent(alias)}/targets`, z.object({ targets: z.array(modelVersionSchema) }));
    return targets;
  }

  /** Uploads one model file or folder as the next version of `model` (the same files again answer their version). */
  importModel(model: string, files: readonly ImportFile[], options: ImportOptions = {}): Promise<ImportOutcome> {
    return this.upload(`/api/models/${encodeURIComponent(model)}/versions:import`, files, options);
  }

  /** Uploads a Triton model repository: every version of every model, each model named by its folder. */
  importTritonRepository(files: readonly ImportFile[], options: Omit<ImportOptions, 'format' | 'reference'> = {}): Promise<ImportOutcome> {
    return this.upload('/api/models:import', files, options);
  }

  /** A recurring run of a pipeline, on a cron expression (in a time zone) or every interval; 409 when the name is taken. */
  createSchedule(request: CreateScheduleRequest): Promise<Schedule> {
    return this.request('POST', '/api/schedules', scheduleSchema, request);
  }

  async listSchedules(): Promise<Schedule[]> {
    return (await this.request('GET', '/api/schedules', scheduleListResponseSchema)).schedules;
  }

  getSchedule(name: string): Promise<Schedule> {
    return this.request('GET', `/api/schedules/${encodeURIComponent(name)}`, scheduleSchema);
  }

  /** Keeps the definition; the schedule fires no more until resumed. */
  pauseSchedule(name: string): Promise<Schedule> {
    return this.request('POST', `/api/schedules/${encodeURIComponent(name)}/pause`, scheduleSchema);
  }

  /** An interval schedule fires at once on resume, then every interval. */
  resumeSchedule(name: string): Promise<Schedule> {
    return this.request('POST', `/api/schedules/${encodeURIComponent(name)}/resume`, scheduleSchema);
  }

  async deleteSchedule(name: string): Promise<void> {
    await this.request('DELETE', `/api/schedules/${encodeURIComponent(name)}`, z.unknown());
  }

  /** Who the client's token is: its name and scopes. */
  whoami(): Promise<Principal> {
    return this.request('GET', '/api/auth/whoami', principalSchema);
  }

  /** Needs an admin token; the answer carries the new token's secret, once. */
  issueToken(request: IssueTokenRequest): Promise<IssuedTokenResponse> {
    return this.request('POST', '/api/tokens', issuedTokenResponseSchema, request);
  }

  async listTokens(): Promise<ApiTokenRecord[]> {
    return (await this.request('GET', '/api/tokens', apiTokenListResponseSchema)).tokens;
  }

  revokeToken(name: string): Promise<ApiTokenRecord> {
    return this.request('DELETE', `/api/tokens/${encodeURIComponent(name)}`, apiTokenSchema);
  }

  private async upload(path: string, files: readonly ImportFile[], { tags, reference, ...fields }: ImportOptions): Promise<ImportOutcome> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
    if (tags !== undefined) form.append('tags', JSON.stringify(tags));
    for (const file of files) form.append('file', new Blob([file.bytes]), file.path);
    if (reference !== undefined) form.append(IMPORT_REFERENCE_PART, new Blob([reference.bytes]), reference.path);
    const { status, data } = await this.send('POST', path, importModelsResponseSchema, form, this.importTimeoutMs);
    return { versions: data.versions, created: status === 201 };
  }

  private async request<T extends z.ZodType>(method: string, path: string, schema: T, body?: unknown): Promise<z.output<T>> {
    return (await this.send(method, path, schema, body, this.timeoutMs)).data;
  }

  /** A FormData body goes as multipart/form-data (fetch sets the boundary); any other body as JSON. */
  private async send<T extends z.ZodType>(
    method: string,
    path: string,
    schema: T,
    body: unknown,
    timeoutMs: number,
    extraHeaders: Record<string, string> = {},
  ): Promise<{ status: number; data: z.output<T> }> {
    const url = `${this.baseUrl.replace(/\/$/, '')}${path}`;
    const json = body !== undefined && !(body instanceof FormData);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          ...extraHeaders,
          // Marks a request no HTML form could send: the registry takes multipart uploads only with it.
          [UPLOAD_CLIENT_HEADER]: 'registry-client',
          ...(json ? { 'content-type': 'application/json' } : {}),
          ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }),
        },
        body: json ? JSON.stringify(body) : (body as FormData | undefined),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new RegistryApiError(`model-registry unreachable at ${url} (${cause})`, url);
    }
    const text = await response.text();
    const answer = response.status === 204 ? undefined : parseJson(text);
    if (!response.ok) {
      const reason = typeof answer === 'object' && answer !== null && 'error' in answer ? String((answer as { error: unknown }).error) : text.slice(0, 300);
      throw new RegistryApiError(`${method} ${url} → ${response.status}: ${reason}`, url, response.status);
    }
    const parsed = schema.safeParse(answer);
    if (!parsed.success) throw new RegistryApiError(`${method} ${url}: unexpected response (${describeZodError(parsed.error)})`, url, response.status);
    return { status: response.status, data: parsed.data };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
