import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

interface RouteMethods {
  pattern: RegExp;
  methods: Set<string>;
}

/** A Fastify route URL (`/v2/models/:model/infer`) as a regular expression matching the concrete paths it serves. */
function patternOf(url: string): RegExp {
  const escaped = url.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/:[A-Za-z0-9_]+/g, '[^/]+').replace(/\*/g, '.*')}$`);
}

/**
 * Answers a request for a known path with a method it does not take with 405 and an Allow header listing the ones it
 * does, instead of the 404 Fastify gives (it has no notion of 405). The route table is collected as routes are
 * registered, so this must be called before the application's routes are (before Nest's init).
 */
export function answerWrongMethods(fastify: FastifyInstance): void {
  const routes = new Map<string, RouteMethods>();
  fastify.addHook('onRoute', (route) => {
    const entry = routes.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set<string>() };
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) entry.methods.add(method);
    routes.set(route.url, entry);
  });
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.is404) return;
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = new Set<string>();
    for (const { pattern, methods } of routes.values()) if (pattern.test(path)) for (const method of methods) allowed.add(method);
    if (allowed.size === 0) return;
    const methods = [...allowed].sort().join(', ');
    await reply
      .code(405)
      .header('allow', methods)
      .header('content-type', 'application/json')
      .send(Buffer.from(JSON.stringify({ error: `${request.method} is not allowed on ${path}; it takes ${methods}` })));
  });
}
