import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookReceiver {
  url: string;
  /** Bodies received so far, parsed as JSON. */
  received: unknown[];
  /** Resolves with the first body POSTed. */
  first: Promise<unknown>;
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1 standing in for an alert receiver (Slack, PagerDuty, a CI trigger). */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: unknown[] = [];
  let resolveFirst: (body: unknown) => void = () => undefined;
  const first = new Promise<unknown>((resolve) => (resolveFirst = resolve));
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      received.push(body);
      resolveFirst(body);
      response.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    received,
    first,
    close: async () => {
      server.close();
      await once(server, 'close');
    },
  };
}
