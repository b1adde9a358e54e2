import { ALIAS_NAME, declaredApiTokensSchema, driftPolicySchema, teamQuotasSchema, trafficPolicySchema, trainingQueue } from '@slipway/contracts';
import { z } from 'zod';
import {
  artifactsVar,
  DEFAULT_PORTS,
  hostVar,
  logLevelVar,
  otlpEndpointVar,
  port,
  positiveIntVar,
  queuePrefixVar,
  redisUrlVar,
  registryUrlVar,
  tfBackendVar,
  url,
  booleanFlag,
  jsonOf,
} from './common-variables';
import { defineServiceConfig, envVar, type ServiceConfig } from './env-var';

/** Splits a comma-separated list of names, trimmed and deduplicated. */
const splitList = (value: string) => [...new Set(value.split(',').map((item) => item.trim()).filter(Boolean))];
/** A host of the data-source allow-list: a name or address (IPv6 in brackets), optionally with a port. */
const DATA_HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;
const aliasNames = z.array(z.string().regex(ALIAS_NAME, 'aliases are lowercase letters, digits and dashes'));

const authWritesVar = envVar(
  booleanFlag.default(true),
  'Every state-changing request needs a bearer token with the scope of what it changes (true/false); `slipway up` turns it off for local development',
);
const authReadsVar = envVar(booleanFlag.default(false), 'GET requests under /api/ need a valid bearer token too (true/false)');

const serviceBasics = (service: keyof typeof DEFAULT_PORTS) => ({
  PORT: envVar(port(DEFAULT_PORTS[service]), `HTTP port of ${service}`),
  HOST: hostVar,
  LOG_LEVEL: logLevelVar,
  REDIS_URL: redisUrlVar,
  SLIPWAY_QUEUE_PREFIX: queuePrefixVar,
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpointVar,
});

export const dataPrepConfig = defineServiceConfig('data-prep', {
  ...serviceBasics('data-prep'),
  SLIPWAY_ARTIFACTS: artifactsVar,
  SLIPWAY_DATA_ROOT: envVar(
    z.string().min(1).default('.'),
    'Directory that relative dataset paths resolve from; paths and file:// URLs outside it (symbolic links included) are refused',
  ),
  SLIPWAY_DATA_HTTP_HOSTS: envVar(
    z
      .string()
      .default('')
      .transform((value) => splitList(value.toLowerCase()))
      .pipe(z.array(z.string().regex(DATA_HOST, 'hosts are names or addresses, optionally with :port (no scheme, no path)'))),
    'Comma-separated hosts that http(s):// dataset sources may name (example.com, or example.com:8443 for that port only); empty: none',
  ),
  SLIPWAY_DATA_MAX_BYTES: positiveIntVar(1024 ** 3, 'Largest raw dataset source read, in bytes (local files, downloads and artifacts alike)'),
  SLIPWAY_DATA_HTTP_TIMEOUT_MS: positiveIntVar(30_000, 'How long an http(s) dataset source may stay silent (before answering, and between chunks of its body), in ms'),
  SLIPWAY_DATA_PREP_CONCURRENCY: positiveIntVar(2, 'Data-prep jobs one replica runs at once'),
});

export const trainerConfig = defineServiceConfig('trainer', {
  ...serviceBasics('trainer'),
  SLIPWAY_ARTIFACTS: artifactsVar,
  SLIPWAY_TF_BACKEND: tfBackendVar,
  SLIPWAY_TRAINER_CONCURRENCY: positiveIntVar(1, 'Training jobs one replica runs at once (each in its own worker thread)'),
  SLIPWAY_TRAINER_CHECKPOINT_EVERY: positiveIntVar(1, 'Epochs between training checkpoints (weights and optimizer state); a crashed training resumes from the last one'),
  SLIPWAY_TRAINER_LOCK_MS: positiveIntVar(trainingQueue.lockDurationMs, 'Job lock duration in ms: how long after a trainer dies its job can be taken up again'),
  SLIPWAY_TRAINER_STALLED_INTERVAL_MS: positiveIntVar(30_000, 'How often in ms the trainer looks for jobs whose lock expired (a dead trainer\'s) and queues them again'),
});

export const modelRegistryConfig = defineServiceConfig('model-registry', {
  ...serviceBasics('model-registry'),
  SLIPWAY_DATABASE_URL: envVar(
    z.string().min(1).default('sqlite:./.slipway/registry.db'),
    'Registry database: sqlite:<path>, sqlite::memory: or postgres://user:pass@host:port/db (postgresql:// too)',
    { sensitive: true },
  ),
  SLIPWAY_ARTIFACTS: artifactsVar,
  SLIPWAY_API_TOKENS: envVar(
    jsonOf(declaredApiTokensSchema).default([]),
    'JSON: bearer tokens declared in configuration (beside those issued with `slipway tokens create`), e.g. [{"name":"ci","token":"…","scopes":["admin"]}]; the name is the actor in audit logs',
    { sensitive: true },
  ),
  SLIPWAY_AUTH_WRITES: authWritesVar,
  SLIPWAY_AUTH_READS: authReadsVar,
  SLIPWAY_OIDC_ISSUER: envVar(
    url(['https:', 'http:']).optional(),
    'Issuer whose signed JWTs are accepted as bearer tokens (a cluster\'s identity provider, or Kubernetes service-account tokens); unset = registry tokens only',
  ),
  SLIPWAY_OIDC_AUDIENCE: envVar(z.string().min(1).optional(), 'The audience (aud) a JWT must be issued for; set it whenever SLIPWAY_OIDC_ISSUER is'),
  SLIPWAY_OIDC_JWKS_URL: envVar(url(['https:', 'http:']).optional(), "Where the issuer's signing keys are; unset = the jwks_uri of its /.well-known/openid-configuration"),
  SLIPWAY_OIDC_SCOPES_CLAIM: envVar(z.string().min(1).default('scope'), 'The JWT claim holding Slipway scopes: a space-separated string or an array'),
  SLIPWAY_OIDC_NAME_CLAIM: envVar(z.string().min(1).default('sub'), 'The JWT claim recorded as the actor (sub, email, preferred_username …)'),
  SLIPWAY_PROTECTED_ALIASES: envVar(
    // An empty variable counts as unset, so "none" is how to protect nothing.
    z
      .string()
      .default('production')
      .transform((value) => (value.trim() === 'none' ? [] : splitList(value)))
      .pipe(aliasNames),
    'Comma-separated aliases that only a bearer token with the right promote:<alias> (or promote:*) may move or delete; "none" protects nothing',
  ),
  SLIPWAY_TEAM_QUOTAS: envVar(
    jsonOf(teamQuotasSchema).default({}),
    'JSON: per-team limits on trainings queued or running at once and on GPUs they request, e.g. {"vision":{"maxConcurrentTrainings":2,"maxGpus":4}}; a training over a limit waits until room frees up; once any team is listed, runs of unlisted teams are refused unless "*" gives every other team a quota',
  ),
  SLIPWAY_IMPORT_MAX_BYTES: positiveIntVar(
    2 * 1024 ** 3,
    'Largest model import (every uploaded file together), in bytes; the registry holds an import in memory while it checks it, and answers 413 above this',
  ),
  SLIPWAY_SCHEDULE_RECONCILE_MS: positiveIntVar(
    60_000,
    'How often the registry brings the BullMQ job schedulers in line with the schedules in its database (after a Redis flush, or a trigger write that failed), in ms',
  ),
});

export const servingConfig = defineServiceConfig('serving', {
  ...serviceBasics('serving'),
  SLIPWAY_ARTIFACTS: artifactsVar,
  SLIPWAY_REGISTRY_URL: registryUrlVar,
  SLIPWAY_TF_BACKEND: tfBackendVar,
  SLIPWAY_AUTH_WRITES: authWritesVar,
  SLIPWAY_AUTH_INFER: envVar(booleanFlag.default(false), 'Inference endpoints (V1, V2 infer and metadata) need a bearer token with the scope infer (true/false)'),
  SLIPWAY_RECONCILE_INTERVAL_MS: positiveIntVar(15_000, 'How often serving re-reads the desired models from the registry, in ms'),
  SLIPWAY_PREDICTION_LOG_FLUSH_MS: positiveIntVar(1_000, 'How often buffered prediction records are sent to monitoring, in ms'),
  SLIPWAY_PREDICTION_LOG_BATCH_SIZE: positiveIntVar(500, 'Prediction records per events-queue job; a full batch is sent on the next event-loop turn'),
  SLIPWAY_PREDICTION_LOG_SAMPLE_RATE: envVar(
    z.coerce.number().min(0).max(1).default(1),
    'Share of successful predictions sent to monitoring with their inputs and labels (drift, live accuracy), 0 … 1',
  ),
  SLIPWAY_BATCHING: envVar(booleanFlag.default(true), 'Dynamic batching of concurrent requests per model version (true/false)'),
  SLIPWAY_BATCH_MAX_SIZE: positiveIntVar(64, 'Largest batch in rows; a batch runs as soon as it is full'),
  SLIPWAY_BATCH_MAX_DELAY_US: envVar(
    z.coerce.number().int().min(0).max(1_000_000).default(0),
    'How long the first request of a batch may wait for others, in microseconds; 0 (Triton\'s default) batches whatever queued up while the model was busy',
  ),
  SLIPWAY_BATCH_MAX_QUEUE: positiveIntVar(1_024, 'Requests that may wait per model version before new ones get 429'),
  SLIPWAY_SERVING_MAX_BODY_BYTES: positiveIntVar(
    16 * 1024 ** 2,
    'Largest request body serving reads, in bytes, counted after gzip/deflate decompression; larger ones get 413',
  ),
  SLIPWAY_SERVING_MAX_ROWS: positiveIntVar(
    10_000,
    'Most rows (the batch dimension) one inference request may hold; more get 413 before any value is converted, so one request cannot hold the event loop (or memory) for long',
  ),
  SLIPWAY_SERVING_MAX_ELEMENTS: positiveIntVar(1_000_000, 'Most tensor values one inference request may hold, every input together; more get 413'),
  SLIPWAY_SERVING_ALIASES: envVar(
    z.string().default('production').transform((value) => [...new Set(value.split(',').map((alias) => alias.trim()).filter(Boolean))]).pipe(z.array(z.string().regex(ALIAS_NAME, 'aliases are lowercase letters, digits and dashes')).min(1)),
    'Comma-separated aliases to load besides those the traffic policy names, addressable as /v2/models/{m}/versions/{alias}',
  ),
  SLIPWAY_TRAFFIC_POLICY: envVar(jsonOf(trafficPolicySchema).default({}), 'JSON: per model, weighted routes between aliases and an optional shadow alias'),
});

export const monitoringConfig = defineServiceConfig('monitoring', {
  ...serviceBasics('monitoring'),
  SLIPWAY_QUEUE_POLL_MS: positiveIntVar(5_000, 'How often queue depths are read from Redis for /metrics and the summary, in ms'),
  SLIPWAY_ARTIFACTS: artifactsVar,
  SLIPWAY_REGISTRY_URL: registryUrlVar,
  SLIPWAY_AUTH_WRITES: authWritesVar,
  SLIPWAY_AUTH_READS: authReadsVar,
  SLIPWAY_RETRAIN_TOKEN: envVar(
    z.string().min(16).optional(),
    'Bearer token monitoring submits drift retraining runs with (runs:write, and promote:<alias> when the retrain pipeline promotes to a protected alias)',
    { sensitive: true },
  ),
  SLIPWAY_DRIFT_POLICY: envVar(
    jsonOf(driftPolicySchema).default({}),
    'JSON: per model, {"psiThreshold":0.2,"minRows":200,"webhook":"http://…","retrain":{"pipeline":{…}}}; models not named get the defaults (log-only alerts)',
  ),
  SLIPWAY_DRIFT_WINDOW_ROWS: positiveIntVar(1_000, 'Latest sampled rows per model version that drift is computed over'),
  SLIPWAY_FEEDBACK_CAPACITY: positiveIntVar(100_000, 'Sampled predictions kept (newest first) for POST /api/feedback to label'),
});

export const cliConfig = defineServiceConfig('cli', {
  SLIPWAY_REGISTRY_URL: registryUrlVar,
  SLIPWAY_API_TOKEN: envVar(z.string().min(1).optional(), 'Bearer token the CLI sends with every request (issue one with `slipway tokens create`)', { sensitive: true }),
});

export const SERVICE_CONFIGS = {
  'data-prep': dataPrepConfig,
  trainer: trainerConfig,
  'model-registry': modelRegistryConfig,
  serving: servingConfig,
  monitoring: monitoringConfig,
} as const;

export type DataPrepConfig = ServiceConfig<typeof dataPrepConfig.variables>;
export type TrainerConfig = ServiceConfig<typeof trainerConfig.variables>;
export type ModelRegistryConfig = ServiceConfig<typeof modelRegistryConfig.variables>;
export type ServingConfig = ServiceConfig<typeof servingConfig.variables>;
export type MonitoringConfig = ServiceConfig<typeof monitoringConfig.variables>;

/** Nest injection token of the running service's parsed configuration. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

const launcherPort = (service: keyof typeof DEFAULT_PORTS) =>
  envVar(port(DEFAULT_PORTS[service]), `Port \`slipway up\` starts ${service} on`);

/** `slipway up` / `npm start`: which Redis to use and the port of each service it starts. */
export const launcherConfig = defineServiceConfig('slipway up', {
  REDIS_URL: envVar(url(['redis:', 'rediss:']).optional(), 'A running Redis to use; when unset or not answering, redis-server is started', { sensitive: true }),
  MODEL_REGISTRY_PORT: launcherPort('model-registry'),
  DATA_PREP_PORT: launcherPort('data-prep'),
  TRAINER_PORT: launcherPort('trainer'),
  MONITORING_PORT: launcherPort('monitoring'),
  SERVING_PORT: launcherPort('serving'),
});
export type LauncherConfig = ServiceConfig<typeof launcherConfig.variables>;

const optionalUrl = (description: string) => envVar(url(['http:', 'https:']).optional(), description);

/** The e2e suite runs against these URLs when all are set (e.g. a kind cluster), else it starts the services itself. */
export const e2eConfig = defineServiceConfig('platform-e2e', {
  SLIPWAY_E2E_REGISTRY_URL: optionalUrl('model-registry base URL of a running platform'),
  SLIPWAY_E2E_SERVING_URL: optionalUrl('serving base URL of a running platform'),
  SLIPWAY_E2E_MONITORING_URL: optionalUrl('monitoring base URL of a running platform'),
  SLIPWAY_E2E_DATA_PREP_URL: optionalUrl('data-prep base URL of a running platform'),
  SLIPWAY_E2E_TRAINER_URL: optionalUrl('trainer base URL of a running platform'),
});
export type E2eConfig = ServiceConfig<typeof e2eConfig.variables>;

/** Where integration tests find a real Redis: REDIS_URL when it answers, else a container or a child process. */
export const testHarnessConfig = defineServiceConfig('test harness', {
  REDIS_URL: envVar(url(['redis:', 'rediss:']).optional(), 'A running Redis for integration tests', { sensitive: true }),
  POSTGRES_URL: envVar(
    url(['postgres:', 'postgresql:']).optional(),
    'A running PostgreSQL for integration tests (a role that may CREATE DATABASE); else a container or a throwaway cluster',
    { sensitive: true },
  ),
  DOCKER_HOST: envVar(z.string().min(1).optional(), 'Docker endpoint for testcontainers (the default socket is tried too)'),
});
