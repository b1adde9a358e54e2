import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Maps errors to `{"error": "..."}` with `Content-Type: application/json` exactly (the Open Inference
 * Protocol's error shape, used by every service). The body goes out as a Buffer because Fastify appends
 * `; charset=utf-8` to string bodies, which strict V2 clients reject.
 */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  /** @param statusByClass domain errors without a `statusCode` property, mapped to an HTTP status. */
  constructor(private readonly statusByClass: ReadonlyArray<readonly [ErrorClass, number]> = []) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = this.statusOf(error);
    const message = status >= 500 ? 'internal error' : this.messageOf(error);
    if (status >= 500) this.logger.error({ event: 'http.unhandled', error: error instanceof Error ? error.stack : String(error) });
    const retryAfter = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    void reply.status(status).header('content-type', 'application/json').send(Buffer.from(JSON.stringify({ error: message })));
  }

  private statusOf(error: unknown): number {
    if (error instanceof HttpException) return error.getStatus();
    const declared = (error as { statusCode?: unknown } | null)?.statusCode;
    if (typeof declared === 'number' && declared >= 400 && declared < 600) return declared;
    const mapped = this.statusByClass.find(([errorClass]) => error instanceof errorClass);
    return mapped ? mapped[1] : 500;
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
