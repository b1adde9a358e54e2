import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { V2InferResponse, V2ModelMetadata } from '@slipway/contracts';
import { buildV2ModelMetadata, inferV2, InferenceInputError, ModelRepository } from '@slipway/inference';
import type { FastifyReply } from 'fastify';
import { InferenceTelemetry } from '../models/inference-telemetry';

const SERVER_METADATA = { name: 'slipway-serving', version: '0.1.0', extensions: [] as string[] };

/** Open Inference Protocol (KServe V2) REST endpoints. A model addressed without a version uses its `production` alias. */
@Controller('v2')
export class V2Controller {
  constructor(
    private readonly repository: ModelRepository,
    private readonly telemetry: InferenceTelemetry,
  ) {}

  @Get()
  serverMetadata(): typeof SERVER_METADATA {
    return SERVER_METADATA;
  }

  @Get('health/live')
  live(): { live: true } {
    return { live: true };
  }

  @Get('health/ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const ready = this.repository.isReady();
    await reply.status(ready ? 200 : 503).send({ ready });
  }

  @Get('models/:model')
  metadata(@Param('model') model: string): V2ModelMetadata {
    return buildV2ModelMetadata(this.repository.resolve(model));
  }

  @Get('models/:model/versions/:version')
  versionMetadata(@Param('model') model: string, @Param('version') version: string): V2ModelMetadata {
    return buildV2ModelMetadata(this.repository.resolve(model, version));
  }

  @Get('models/:model/ready')
  modelReady(@Param('model') model: string): { name: string; ready: true } {
    return { name: this.repository.resolve(model).name, ready: true };
  }

  @Get('models/:model/versions/:version/ready')
  versionReady(@Param('model') model: string, @Param('version') version: string): { name: string; ready: true } {
    return { name: this.repository.resolve(model, version).name, ready: true };
  }

  @Post('models/:model/infer')
  @HttpCode(200)
  infer(@Param('model') model: string, @Body() body: unknown): Promise<V2InferResponse> {
    return this.runInference(model, undefined, body);
  }

  @Post('models/:model/versions/:version/infer')
  @HttpCode(200)
  inferVersion(@Param('model') model: string, @Param('version') version: string, @Body() body: unknown): Promise<V2InferResponse> {
    return this.runInference(model, version, body);
  }

  private runInference(model: string, version: string | undefined, body: unknown): Promise<V2InferResponse> {
    return this.repository.withModel(model, version, (loaded) => {
      const startedAt = performance.now();
      try {
        const response = inferV2(loaded, body);
        const rows = response.outputs[0]?.shape[0] ?? 0;
        this.telemetry.record({ model: loaded.name, version: loaded.version, rows, latencyMs: performance.now() - startedAt, ok: true });
        return response;
      } catch (error) {
        if (error instanceof InferenceInputError) {
          this.telemetry.record({ model: loaded.name, version: loaded.version, rows: 0, latencyMs: performance.now() - startedAt, ok: false });
        }
        throw error;
      }
    });
  }
}
