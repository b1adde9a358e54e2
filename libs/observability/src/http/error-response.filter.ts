import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ErrorResponder } from './error-responder';

/** Every error a Nest route throws, answered in the shared `{"error": "..."}` shape. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly responder: ErrorResponder;

  constructor(statusByClass: ConstructorParameters<typeof ErrorResponder>[0] = []) {
    this.responder = new ErrorResponder(statusByClass);
  }

  catch(error: unknown, host: ArgumentsHost): void {
    void this.responder.send(host.switchToHttp().getResponse<FastifyReply>(), error);
  }
}
