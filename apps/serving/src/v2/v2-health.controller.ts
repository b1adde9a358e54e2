import { Controller, Get, Res } from '@nestjs/common';
import { ModelRepository } from '@slipway/inference';
import type { FastifyReply } from 'fastify';
import { SERVER_METADATA } from './server-metadata';

/** Server-level Open Inference Protocol endpoints, plus KServe V1's liveness root. */
@Controller()
export class V2HealthController {
  constructor(private readonly repository: ModelRepository) {}

  @Get()
  kserveV1Alive(): { status: 'alive' } {
    return { status: 'alive' };
  }

  @Get('v2')
  serverMetadata(): typeof SERVER_METADATA {
    return SERVER_METADATA;
  }

  @Get('v2/health/live')
  live(): { live: true } {
    return { live: true };
  }

  @Get('v2/health/ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const ready = this.repository.isReady();
    await reply.status(ready ? 200 : 503).send({ ready });
  }
}
