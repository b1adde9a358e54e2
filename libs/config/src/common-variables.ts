import { QUEUE_PREFIX, TF_BACKENDS } from '@slipway/contracts';
import { z } from 'zod';
import { envVar } from './env-var';

/** A URL whose scheme is one of the protocols (e.g. 'http:'). */
export const url = (protocols: readonly string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

export const port = (defaultPort: number) => z.coerce.number().int().min(1).max(65_535).default(defaultPort);

/** Default ports of the services, identical in nx serve, docker-compose and the Helm chart. */
export const DEFAULT_PORTS = {
  'model-registry': 3001,
  'data-prep': 3002,
  trainer: 3003,
  monitoring: 3004,
  serving: 8080,
} as const;
export type ServiceName = keyof typeof DEFAULT_PORTS;

export const redisUrlVar = envVar(
  url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  'Redis for BullMQ queues and pub/sub, e.g. redis://127.0.0.1:6379',
  { sensitive: true },
);

export const queuePrefixVar = envVar(
  z.string().regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, "-" and "_" only').default(QUEUE_PREFIX),
  'BullMQ key prefix; services that work together must share it',
);

export const hostVar = envVar(z.string().min(1).default('0.0.0.0'), 'Interface the HTTP server binds to');

export const logLevelVar = envVar(
  z.enum(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  'Lowest log level written (fatal, error, warn, log, debug, verbose)',
);

/** Optional: tracing stays off (no OpenTelemetry SDK started, nothing added to requests or jobs) while it is unset. */
export const otlpEndpointVar = envVar(
  url(['http:', 'https:']).optional(),
  'OpenTelemetry collector (OTLP over HTTP) that traces are sent to, e.g. http://otel-collector:4318 (spans go to <url>/v1/traces); unset = tracing off',
);

export const artifactsVar = envVar(
  z.string().min(1).default('./.slipway/artifacts'),
  'Artifact store: a directory path or file:// URL shared by data-prep, trainer and serving',
);

export const registryUrlVar = envVar(
  url(['http:', 'https:']).default(`http://127.0.0.1:${DEFAULT_PORTS['model-registry']}`),
  'Base URL of the model-registry REST API',
);

export const tfBackendVar = envVar(
  z.enum(['auto', ...TF_BACKENDS]).default('auto'),
  'TensorFlow.js backend: auto picks the fastest available of tensorflow-gpu, tensorflow, wasm, cpu',
);

export const positiveIntVar = (defaultValue: number, description: string) =>
  envVar(z.coerce.number().int().positive().default(defaultValue), description);

/** `true`/`false` (also 1/0, yes/no), as environment variables spell booleans. */
export const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A JSON document in a variable, validated by its schema; errors name the path inside the document. */
export const jsonOf = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        context.addIssue({ code: 'custom', message: `not JSON (${(error as Error).message})` });
        return z.NEVER;
      }
    })
    .pipe(schema);
