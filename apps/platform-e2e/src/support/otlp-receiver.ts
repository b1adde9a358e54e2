import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One span as an OTLP/HTTP JSON export request carries it, flattened with the name of the service that sent it. */
export interface ReceivedSpan {
  service: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, string | number | boolean>;
}

export const OTLP_SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

export interface OtlpReceiver {
  /** The value for OTEL_EXPORTER_OTLP_ENDPOINT: the exporters post to `<url>/v1/traces`. */
  url: string;
  spans: ReceivedSpan[];
  /** Resolves with the first value `pick` returns for the spans received, now or as exports arrive. */
  waitFor<T>(description: string, pick: (spans: ReceivedSpan[]) => T | undefined, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpKeyValue[];
}
interface OtlpJsonExport {
  resourceSpans?: Array<{ resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: Array<{ spans?: OtlpJsonSpan[] }> }>;
}

const valueOf = (value: OtlpAnyValue): string | number | boolean =>
  value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.doubleValue ?? value.boolValue ?? '';

const attributesOf = (list: OtlpKeyValue[] = []): Record<string, string | number | boolean> => Object.fromEntries(list.map(({ key, value }) => [key, valueOf(value)]));

/** Flattens an ExportTraceServiceRequest in OTLP's JSON encoding (ids as hex strings). */
function spansOf(request: OtlpJsonExport): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '');
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        service,
        name: span.name,
        kind: span.kind,
        traceId: span.traceId,
        spanId: span.spanId,
        ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
        attributes: attributesOf(span.attributes),
      })),
    );
  });
}

/** A stand-in OpenTelemetry collector on 127.0.0.1: accepts OTLP/HTTP JSON trace exports and keeps their spans. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  let waiters: Array<() => boolean> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url !== '/v1/traces' || !request.headers['content-type']?.startsWith('application/json')) {
        response.writeHead(415).end(`expected JSON on /v1/traces, got ${request.headers['content-type']} on ${request.url}`);
        return;
      }
      const body = Buffer.concat(chunks);
      const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
      spans.push(...spansOf(JSON.parse(text) as OtlpJsonExport));
      waiters = waiters.filter((found) => !found());
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    waitFor: <T>(description: string, pick: (received: ReceivedSpan[]) => T | undefined, timeoutMs = 30_000) =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((other) => other !== found);
          reject(new Error(`no ${description} among the ${spans.length} spans received within ${timeoutMs} ms: ${[...new Set(spans.map((span) => `${span.service} ${span.name}`))].join(', ')}`));
        }, timeoutMs);
        const found = (): boolean => {
          const value = pick(spans);
          if (value === undefined) return false;
          clearTimeout(timer);
          resolve(value);
          return true;
        };
        if (!found()) waiters.push(found);
      }),
    close: async () => {
      // Exporters keep their connection alive between exports.
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
