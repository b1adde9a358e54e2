import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { PREDICTION_ID_HEADER, ROUTE_HEADER, SERVED_BY_HEADER } from '@slipway/contracts';
import { InferenceGateway, ModelRepository, type RequestLimits } from '@slipway/inference';
import { InferenceRoute } from '@slipway/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { inferRequestBody } from '../http/infer-body';
import { REQUEST_LIMITS } from '../http/request-limits.provider';

/** KServe V1 data plane: model listing, readiness and `:predict` (one label or value per instance). */
@Controller('v1/models')
export class V1Controller {
  constructor(
    private readonly repository: ModelRepository,
    private readonly gateway: InferenceGateway,
    @Inject(REQUEST_LIMITS) private readonly limits: RequestLimits,
  ) {}

  @Get()
  list(): { models: string[] } {
    return { models: [...new Set(this.repository.list().map((info) => info.name))] };
  }

  @Get(':model')
  ready(@Param('model') model: string): { name: string; ready: true } {
    return { name: this.repository.resolve(model).name, ready: true };
  }

  /** The path segment is `<model>:predict`; KServe's `:explain` is not offered. */
  @Post(':modelAndVerb')
  @InferenceRoute()
  @HttpCode(200)
  async predict(@Param('modelAndVerb') modelAndVerb: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ predictions: unknown[] }> {
    const separator = modelAndVerb.lastIndexOf(':');
    const verb = separator > 0 ? modelAndVerb.slice(separator + 1) : '';
    if (verb !== 'predict') throw new NotFoundException(`"${modelAndVerb}": this server offers POST /v1/models/{model}:predict`);
    const pinned = request.headers[ROUTE_HEADER];
    const { answer, servedBy, predictionId } = await this.gateway.predictV1(modelAndVerb.slice(0, separator), inferRequestBody(request, this.limits), typeof pinned === 'string' ? pinned : undefined);
    void reply.header(SERVED_BY_HEADER, servedBy).header(PREDICTION_ID_HEADER, predictionId);
    return answer;
  }
}
