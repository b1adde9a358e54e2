import type { SpanExporter } from '@opentelemetry/sdk-trace-node';

/**
 * OTLP over HTTP (JSON) to a collector. `endpoint` is OTEL_EXPORTER_OTLP_ENDPOINT: a base URL to which, as the
 * OpenTelemetry specification says, the signal path `v1/traces` is appended. Loaded on demand, like the SDK.
 */
export async function otlpTraceExporter(endpoint: string): Promise<SpanExporter> {
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  return new OTLPTraceExporter({ url: otlpTracesUrl(endpoint) });
}

/** `http://collector:4318` and `http://collector:4318/` both become `http://collector:4318/v1/traces`. */
export function otlpTracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}
