import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { createServiceLogger } from '../logging/service-logger';
import { otlpTracesUrl } from './otlp-trace-exporter';
import { activeSpan, activeTraceIds, isTracingEnabled, slipwayTracer, startTracing, stopTracing } from './tracing';

/** The JSON lines a service logger writes to stdout while `work` runs. */
function loggedLines(work: () => void): Record<string, unknown>[] {
  const written: string[] = [];
  const capture = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    work();
  } finally {
    capture.mockRestore();
  }
  return written.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('tracing off (no endpoint configured)', () => {
  it('starts no SDK: spans are non-recording and no helper reports a span', () => {
    expect(isTracingEnabled()).toBe(false);
    slipwayTracer().startActiveSpan('request', (span) => {
      expect(span.isRecording()).toBe(false);
      expect(activeSpan()).toBeUndefined();
      expect(activeTraceIds()).toBeUndefined();
      span.end();
    });
  });

  it('writes log lines without trace fields', () => {
    const [line] = loggedLines(() => createServiceLogger('traced-service').log({ event: 'untraced' }));
    expect(line).toMatchObject({ message: { event: 'untraced' } });
    expect(line).not.toHaveProperty('traceId');
  });
});

describe('tracing on', () => {
  // A fresh exporter per test: stopping tracing shuts the exporter down for good.
  let exporter: InMemorySpanExporter;

  beforeEach(async () => {
    exporter = new InMemorySpanExporter();
    await startTracing({ service: 'traced-service', exporter, export: 'each' });
  });

  afterEach(async () => {
    await stopTracing();
  });

  it('exports spans under the service name, and reports the active one', () => {
    slipwayTracer().startActiveSpan('request', { kind: SpanKind.SERVER }, (span) => {
      expect(activeSpan()).toBe(span);
      expect(activeTraceIds()).toEqual({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });
      span.end();
    });
    const [exported] = exporter.getFinishedSpans();
    expect(exported?.name).toBe('request');
    expect(exported?.resource.attributes['service.name']).toBe('traced-service');
    expect(activeTraceIds()).toBeUndefined();
  });

  it('adds the active span’s ids to log lines, and nothing outside a span', () => {
    let ids: { traceId: string; spanId: string } | undefined;
    const logger = createServiceLogger('traced-service');
    const lines = loggedLines(() => {
      slipwayTracer().startActiveSpan('job', { kind: SpanKind.CONSUMER }, (span) => {
        ids = { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
        logger.log({ event: 'inside' });
        span.end();
      });
      logger.log({ event: 'outside' });
    });
    expect(lines[0]).toMatchObject({ message: { event: 'inside' }, ...ids });
    expect(ids?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(lines[1]).toMatchObject({ message: { event: 'outside' } });
    expect(lines[1]).not.toHaveProperty('traceId');
  });

  it('drops INTERNAL spans that would start a trace (idle queue polls) but keeps INTERNAL spans inside one', () => {
    const tracer = slipwayTracer();
    tracer.startSpan('getNextJob', { kind: SpanKind.INTERNAL }).end();
    tracer.startActiveSpan('process training', { kind: SpanKind.CONSUMER }, (job) => {
      tracer.startSpan('getNextJob', { kind: SpanKind.INTERNAL }).end();
      job.end();
    });
    const exported = exporter.getFinishedSpans();
    expect(exported.map((span) => span.name)).toEqual(['getNextJob', 'process training']);
    const [child, parent] = exported;
    expect(child?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
  });

  it('refuses to start twice, and stops for good', async () => {
    await expect(startTracing({ service: 'second', exporter })).rejects.toThrow(/already started/);
    await stopTracing();
    expect(isTracingEnabled()).toBe(false);
    expect(trace.getTracer('any').startSpan('after').isRecording()).toBe(false);
  });
});

describe('otlpTracesUrl', () => {
  it.each(['http://collector:4318', 'http://collector:4318/'])('appends the traces path to %s once', (endpoint) => {
    expect(otlpTracesUrl(endpoint)).toBe('http://collector:4318/v1/traces');
  });

  it('keeps a base path', () => {
    expect(otlpTracesUrl('https://gateway.example/otlp')).toBe('https://gateway.example/otlp/v1/traces');
  });
});
