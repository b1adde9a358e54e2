import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  /** Decoded, so `train%5B1%5D` reads `train[1]`. */
  path: string;
  /** Parsed JSON, or the text of any other body. */
  body: unknown;
}

export interface StubAnswer {
  status: number;
  body?: unknown;
}

/**
 * A model-registry over real HTTP whose answers come from a function, recording every request: enough to see
 * what a command sends and prints, without Redis or a database. Unrouted requests get a 404 naming them.
 */
export class RegistryStub {
  readonly requests: StubRequest[] = [];
  private server?: Server;

  constructor(private readonly answer: (request: StubRequest) => StubAnswer | undefined) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    // JSON bodies are parsed; others (a multipart upload) are kept as their text.
    const json = request.headers['content-type']?.startsWith('application/json') ?? false;
    const recorded = { method: request.method ?? 'GET', path: decodeURIComponent(request.url ?? '/'), body: text === '' ? undefined : json ? (JSON.parse(text) as unknown) : text };
    this.requests.push(recorded);
    const { status, body } = this.answer(recorded) ?? { status: 404, body: { error: `no route ${recorded.method} ${recorded.path}` } };
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  }
}
