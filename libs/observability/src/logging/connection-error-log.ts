import type { LoggerService } from '@nestjs/common';

/** Anything that reports failures as 'error' events: an ioredis client, a BullMQ Queue, Worker, QueueEvents or FlowProducer. */
export interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface ConnectionErrorLogOptions {
  /** The `event` field of each line. */
  event: string;
  /** The same error is logged at most once per this long, with how often it recurred since. @defaultValue 30 000 ms */
  intervalMs?: number;
  now?: () => number;
}

/**
 * Connection errors of clients that retry on their own (ioredis reconnects every second or two while Redis is
 * down, through every connection a service holds) as structured log lines, at most one per distinct error per
 * interval: without a listener ioredis prints a plain-text stack to stderr on every retry, into the JSON logs.
 */
export class ConnectionErrorLog {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly logged = new Map<string, { at: number; repeated: number }>();

  constructor(
    private readonly logger: Pick<LoggerService, 'warn'>,
    private readonly options: ConnectionErrorLogOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Logs the emitter's 'error' events under `source` (which connection it is). */
  watch<E extends ErrorEmitter>(source: string, emitter: E): E {
    emitter.on('error', (error) => this.record(source, error));
    return emitter;
  }

  record(source: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const at = this.now();
    const last = this.logged.get(message);
    if (last && at - last.at < this.intervalMs) {
      last.repeated += 1;
      return;
    }
    const code = (error as { code?: unknown } | null)?.code;
    this.logger.warn({
      event: this.options.event,
      source,
      error: message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(last ? { repeatedSinceLastLine: last.repeated } : {}),
    });
    this.logged.set(message, { at, repeated: 0 });
  }

  /** Forgets what was logged (the connection is back), so the next outage is reported at once. */
  reset(): void {
    this.logged.clear();
  }
}
