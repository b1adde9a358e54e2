import { Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { PREDICTION_ID_HEADER, ROUTE_HEADER, SERVED_BY_HEADER, type V2InferResponse } from '@slipway/contracts';
import { InferenceGateway, type RequestLimits } from '@slipway/inference';
import { InferenceRoute } from '@slipway/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { inferRequestBody, inferResponseBody } from '../http/infer-body';
import { REQUEST_LIMITS } from '../http/request-limits.provider';

/**
 * `POST /v2/models/{m}[/versions/{v}]/infer`. Without a version the traffic policy picks the alias (the
 * x-slipway-route header pins one); `/versions/{v}` takes a version number or any alias the replica serves.
 */
@Controller('v2/models/:model')
export class V2InferController {
  constructor(
    private readonly gateway: InferenceGateway,
    @Inject(REQUEST_LIMITS) private readonly limits: RequestLimits,
  ) {}

  @Post('infer')
  @InferenceRoute()
  @HttpCode(200)
  infer(@Param('model') model: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<V2InferResponse | Buffer> {
    return this.run(model, undefined, request, reply);
  }

  @Post('versions/:version/infer')
  @InferenceRoute()
  @HttpCode(200)
  inferVersion(
    @Param('model') model: string,
    @Param('version') version: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<V2InferResponse | Buffer> {
    return this.run(model, version, request, reply);
  }

  private async run(model: string, version: string | undefined, request: FastifyRequest, reply: FastifyReply): Promise<V2InferResponse | Buffer> {
    const body = inferRequestBody(request, this.limits);
    const pinned = request.headers[ROUTE_HEADER];
    const { answer, servedBy, predictionId } = await this.gateway.inferV2(model, version, body, typeof pinned === 'string' ? pinned : undefined);
    void reply.header(SERVED_BY_HEADER, servedBy).header(PREDICTION_ID_HEADER, predictionId);
    return inferResponseBody(reply, body, answer);
  }
}
