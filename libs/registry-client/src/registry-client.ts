import {
  describeZodError,
  modelVersionSchema,
  registeredModelSchema,
  runSchema,
  runSummarySchema,
  type ModelVersion,
  type RegisteredModel,
  type Run,
  type RunStatus,
  type RunSummary,
  type SubmitRunRequest,
} from '@slipway/contracts';
import { z } from 'zod';
import { RegistryApiError } from './registry-api.error';

export interface RegistryClientOptions {
  /** Per-request timeout. @defaultValue 10 000 ms */
  timeoutMs?: number;
}

/** Typed client of the model-registry REST API; every response is validated against its contract. */
export class RegistryClient {
  private readonly timeoutMs: number;

  constructor(
    readonly baseUrl: string,
    options: RegistryClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  submitRun(request: SubmitRunRequest): Promise<Run> {
    return this.request('POST', '/api/runs', runSchema, request);
  }

  getRun(id: string): Promise<Run> {
    return this.request('GET', `/api/runs/${encodeURIComponent(id)}`, runSchema);
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

  /** Every model's version that the alias points at: what serving should load. */
  async aliasTargets(alias: string): Promise<ModelVersion[]> {
    const { targets } = await this.request('GET', `/api/aliases/${encodeURIComponent(alias)}/targets`, z.object({ targets: z.array(modelVersionSchema) }));
    return targets;
  }

  private async request<T extends z.ZodType>(method: string, path: string, schema: T, body?: unknown): Promise<z.output<T>> {
    const url = `${this.baseUrl.replace(/\/$/, '')}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new RegistryApiError(`model-registry unreachable at ${url} (${cause})`, url);
    }
    const text = await response.text();
    const json = parseJson(text);
    if (!response.ok) {
      const reason = typeof json === 'object' && json !== null && 'error' in json ? String((json as { error: unknown }).error) : text.slice(0, 300);
      throw new RegistryApiError(`${method} ${url} → ${response.status}: ${reason}`, url, response.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new RegistryApiError(`${method} ${url}: unexpected response (${describeZodError(parsed.error)})`, url, response.status);
    return parsed.data;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
