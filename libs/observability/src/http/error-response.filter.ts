import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { httpStatusOf, type HttpErrorTable } from './http-error-table';

/**
 * Maps errors to `{"error": "..."}` with `Content-Type: application/json` exactly (the Open Inference
 * Protocol's error shape, used by every service). The body goes out as a Buffer because Fastify appends
 * `; charset=utf-8` to string bodies, which strict V2 clients reject.
 */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  /** @param errorTable the service's domain errors and their HTTP statuses; Nest's HttpExceptions keep their own. */
  constructor(private readonly errorTable: HttpErrorTable) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = this.statusOf(error);
    // An error the table names is a known condition whose message is meant for the caller ("queue (Redis) unavailable");
    // anything else that fails with 5xx is a bug, whose message and stack stay in the log.
    const expected = status < 500 || httpStatusOf(this.errorTable, error) !== undefined;
    const message = expected ? this.messageOf(error) : 'internal error';
    if (!expected) this.logger.error({ event: 'http.unhandled', error: error instanceof Error ? error.stack : String(error) });
    const retryAfter = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    void reply.status(status).header('content-type', 'application/json').send(Buffer.from(JSON.stringify({ error: message })));
  }

  private statusOf(error: unknown): number {
    // Fastify's own errors (bad JSON, body too large) reach here as HttpExceptions: Nest converts them.
    if (error instanceof HttpException) return error.getStatus();
    return httpStatusOf(this.errorTable, error) ?? 500;
  }

  private messageOf(error: unknown): string {
    if (error instanceof HttpException) {
      const response = error.getResponse();
      if (typeof response === 'object' && response !== null && 'message' in response) {
        const { message } = response as { message: unknown };
        return Array.isArray(message) ? message.join('; ') : String(message);
      }
      return error.message;
    }
    return error instanceof Error ? error.message : String(error);
  }
}
