import type { LoggerService } from '@nestjs/common';
import { context, diag, DiagLogLevel, propagation, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { NodeTracerProvider, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { format } from 'node:util';

export interface TracingOptions {
  /** `service.name` of every span this process exports, e.g. `model-registry`. */
  service: string;
  /** Where ended spans go: {@link otlpTraceExporter} in a service, an in-memory exporter in tests. */
  exporter: SpanExporter;
  /**
   * `batch` queues ended spans and exports them every few seconds, off the request path; `each` exports every span
   * the moment it ends, so a test can read an in-memory exporter right after the work.
   * @defaultValue 'batch'
   */
  export?: 'batch' | 'each';
  /** Receives the SDK's own warnings and errors (an unreachable collector, a rejected export), which are silent otherwise. */
  logger?: LoggerService;
}

/** The scope name of the spans Slipway's own code starts (HTTP requests); BullMQ's spans carry `bullmq`. */
const TRACER_NAME = 'slipway';

let provider: NodeTracerProvider | undefined;

/**
 * Starts tracing for this process: registers the tracer provider, AsyncLocalStorage context propagation and W3C
 * trace-context headers with the OpenTelemetry API. The SDK is loaded here and nowhere else, so a service without
 * an endpoint never even loads it; until this runs every tracing helper of this lib returns at its first line.
 */
export async function startTracing(options: TracingOptions): Promise<void> {
  assertNotStarted(options.service);
  const [sdk, resources, conventions, { RootInternalSpanSampler }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
    import('./root-internal-span-sampler'),
  ]);
  assertNotStarted(options.service);
  if (options.logger) routeDiagnostics(options.logger);
  provider = new sdk.NodeTracerProvider({
    resource: resources.defaultResource().merge(resources.resourceFromAttributes({ [conventions.ATTR_SERVICE_NAME]: options.service })),
    sampler: new sdk.ParentBasedSampler({ root: new RootInternalSpanSampler() }),
    spanProcessors: [options.export === 'each' ? new sdk.SimpleSpanProcessor(options.exporter) : new sdk.BatchSpanProcessor(options.exporter)],
  });
  provider.register();
}

/** Exports the spans still queued and unregisters everything startTracing registered; a no-op when tracing is off. */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  if (!stopping) return;
  provider = undefined;
  try {
    await stopping.shutdown();
  } finally {
    trace.disable();
    context.disable();
    propagation.disable();
    diag.disable();
  }
}

/** True between startTracing and stopTracing: the one check hot paths make before any tracing work. */
export function isTracingEnabled(): boolean {
  return provider !== undefined;
}

/** The tracer for spans Slipway starts itself. */
export function slipwayTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** The span of the current request or job, to name or annotate; undefined when tracing is off or nothing is traced here. */
export function activeSpan(): Span | undefined {
  return provider ? trace.getActiveSpan() : undefined;
}

/** Ids of the current span as hex strings, for log lines; undefined when tracing is off or no span is active. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = activeSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

function assertNotStarted(service: string): void {
  if (provider) throw new Error(`tracing is already started in this process; cannot start it again for ${service}`);
}

function routeDiagnostics(logger: LoggerService): void {
  const write = (level: 'error' | 'warn') => (message: string, ...args: unknown[]) => logger[level]({ event: 'tracing.diagnostic', message: format(message, ...args) });
  const silent = () => undefined;
  diag.setLogger({ error: write('error'), warn: write('warn'), info: silent, debug: silent, verbose: silent }, DiagLogLevel.WARN);
}
