/**
 * The ceiling of the serving bench: a bare Fastify 5 server that parses the same V2 infer body as serving and
 * answers fixed bytes (serving's own answer to that body), so the only work left is Node HTTP and JSON parsing.
 * Started by serving.bench.ts as a child process: argv = route, answer; it sends `{ port }` once listening.
 */
import Fastify from 'fastify';

const [route, answer] = process.argv.slice(2);

async function main(): Promise<void> {
  if (!route || !answer) throw new Error('usage: bare-fastify.server.ts <route> <answer JSON>');
  const app = Fastify({ logger: false });
  app.post(route, async (request, reply) => {
    // Touch the parsed body, so a body that was not parsed cannot pass as a 200.
    const body = request.body as { inputs?: unknown } | null;
    if (!Array.isArray(body?.inputs)) return reply.status(400).type('application/json').send('{"error":"inputs must be a list"}');
    return reply.type('application/json').send(answer);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the bare Fastify server has no TCP address');
  const close = () => void app.close().finally(() => process.exit(0));
  process.once('SIGTERM', close);
  process.once('disconnect', close);
  process.send?.({ port: address.port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
