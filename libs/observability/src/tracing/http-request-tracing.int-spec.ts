import { Body, Controller, Get, Logger, Param, Post, type INestApplication } from '@nestjs/common';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { SpanRecorder } from '@slipway/testing';
import { randomBytes } from 'node:crypto';
import { bootstrapService } from '../http/bootstrap-service';
import { ObservabilityModule } from '../observability.module';
import { activeTraceIds, isTracingEnabled, startTracing } from './tracing';

const SERVICE = 'http-tracing-test';

@Controller('orders')
class OrdersController {
  static readonly seenByHandler: Array<ReturnType<typeof activeTraceIds>> = [];
  private readonly logger = new Logger('Orders');

  @Post(':id')
  create(@Param('id') id: string, @Body() body: { items: number }): { id: string; items: number } {
    OrdersController.seenByHandler.push(activeTraceIds());
    this.logger.log({ event: 'order.created', id });
    return { id, items: body.items };
  }

  @Get('broken/ledger')
  broken(): never {
    throw new Error('the ledger is gone');
  }
}

/** A caller's W3C trace context, as another traced service would send it. */
function callerContext(): { traceId: string; spanId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

const spanNamed = (name: string, traceId: string) => (spans: ReadableSpan[]) =>
  spans.find((span) => span.name === name && span.spanContext().traceId === traceId);

describe('HTTP request spans of a service started by bootstrapService', () => {
  const recorder = new SpanRecorder();
  const logLines: Record<string, unknown>[] = [];
  const captures: jest.SpyInstance[] = [];
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    // The service's JSON log lines (errors go to stderr), read back to find the trace ids in them.
    for (const stream of [process.stdout, process.stderr]) {
      captures.push(
        jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
          for (const line of String(chunk).split('\n').filter((text) => text.startsWith('{'))) logLines.push(JSON.parse(line) as Record<string, unknown>);
          return true;
        }),
      );
    }
    await startTracing({ service: SERVICE, exporter: recorder, export: 'each' });
    app = await bootstrapService(
      { module: class OrdersModule {}, imports: [ObservabilityModule.forService(SERVICE)], controllers: [OrdersController] },
      { service: SERVICE, port: 0, host: '127.0.0.1', logLevel: 'log', httpErrors: [] },
    );
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    for (const capture of captures) capture.mockRestore();
  });

  it('continues the caller’s trace in one SERVER span named after the route, active in the handler after the body was read', async () => {
    const caller = callerContext();
    const response = await fetch(`${baseUrl}/orders/o-17?source=test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: caller.traceparent },
      body: JSON.stringify({ items: 3 }),
    });
    expect(response.status).toBe(201);

    const span = await recorder.waitFor('POST /orders/:id', spanNamed('POST /orders/:id', caller.traceId));
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.parentSpanContext?.spanId).toBe(caller.spanId);
    expect(span.resource.attributes['service.name']).toBe(SERVICE);
    expect(span.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/orders/:id', 'url.path': '/orders/o-17', 'http.response.status_code': 201 });
    expect(OrdersController.seenByHandler).toContainEqual({ traceId: caller.traceId, spanId: span.spanContext().spanId });
    expect(logLines).toContainEqual(expect.objectContaining({ message: { event: 'order.created', id: 'o-17' }, traceId: caller.traceId, spanId: span.spanContext().spanId }));
  });

  it('starts a new trace for a request without trace context', async () => {
    const before = OrdersController.seenByHandler.length;
    await fetch(`${baseUrl}/orders/o-18`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: 1 }) });
    const seen = OrdersController.seenByHandler[before];
    expect(seen?.traceId).toMatch(/^[0-9a-f]{32}$/);
    const span = await recorder.waitFor('of the untraced request', spanNamed('POST /orders/:id', seen?.traceId ?? ''));
    expect(span.parentSpanContext).toBeUndefined();
  });

  it('marks a 5xx span as failed, and the error log line carries its trace id', async () => {
    const caller = callerContext();
    const response = await fetch(`${baseUrl}/orders/broken/ledger`, { headers: { traceparent: caller.traceparent } });
    expect(response.status).toBe(500);
    const span = await recorder.waitFor('GET /orders/broken/ledger', spanNamed('GET /orders/broken/ledger', caller.traceId));
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['http.response.status_code']).toBe(500);
    expect(logLines).toContainEqual(expect.objectContaining({ level: 'error', traceId: caller.traceId, message: expect.objectContaining({ event: 'http.unhandled' }) }));
  });

  it('traces no health probe or metrics scrape', async () => {
    const caller = callerContext();
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${baseUrl}${path}`, { headers: { traceparent: caller.traceparent } })).status).toBe(200);
    // A traced request after the probes: once its span is in, the probes' spans would have been too.
    await fetch(`${baseUrl}/orders/o-19`, { method: 'POST', headers: { 'content-type': 'application/json', traceparent: caller.traceparent }, body: '{"items":2}' });
    await recorder.waitFor('POST /orders/:id after the probes', spanNamed('POST /orders/:id', caller.traceId));
    expect(recorder.getFinishedSpans().filter((span) => span.spanContext().traceId === caller.traceId).map((span) => span.name)).toEqual(['POST /orders/:id']);
  });

  it('stops tracing when the service shuts down', async () => {
    await app.close();
    expect(isTracingEnabled()).toBe(false);
  });
});
