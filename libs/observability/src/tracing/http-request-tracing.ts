import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { slipwayTracer } from './tracing';

/** Probes and scrapes arrive every few seconds from every replica; their spans would be noise. */
const UNTRACED_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One SERVER span per HTTP request, named `METHOD /route/:param`, continuing the caller's trace when it sends a W3C
 * `traceparent` header. Installed only while tracing is on, so a service without tracing runs no hook at all.
 *
 * The span becomes the active context in `preHandler`, after the body is read: the body arrives in stream events
 * that do not carry the context entered earlier, while from `preHandler` on Fastify calls on into the Nest handler
 * directly, so guards, handlers, logs and queue producers all see the request's span.
 */
export function traceHttpRequests(fastify: FastifyInstance): void {
  const requestContexts = new WeakMap<FastifyRequest, Context>();

  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && UNTRACED_ROUTES.has(route)) return done();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = slipwayTracer().startSpan(
      route === undefined ? request.method : `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: request.method,
          [ATTR_URL_PATH]: request.url.split('?', 1)[0],
          ...(route === undefined ? {} : { [ATTR_HTTP_ROUTE]: route }),
        },
      },
      parent,
    );
    requestContexts.set(request, trace.setSpan(parent, span));
    done();
  });

  fastify.addHook('preHandler', (request, _reply, done) => {
    const requestContext = requestContexts.get(request);
    if (requestContext) context.with(requestContext, done);
    else done();
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const span = trace.getSpan(requestContexts.get(request) ?? ROOT_CONTEXT);
    if (span) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
      // Client errors are the caller's; only a 5xx marks the span failed (OpenTelemetry's HTTP server convention).
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
