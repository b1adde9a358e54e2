import { Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { SERVICE_CONFIG, type ModelRegistryConfig } from '@slipway/config';
import type { ImportModelsResponse, Principal } from '@slipway/contracts';
import { ModelImporter, type ImportResult } from '@slipway/registry';
import { AcceptsUpload, RequestPrincipal, RequiresScope } from '@slipway/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readImportUpload } from './read-import-upload';

/**
 * Imports models trained elsewhere, uploaded as multipart/form-data. find-my-way reads `::` as one literal colon,
 * so the paths are exactly `versions:import` and `models:import`.
 */
@Controller('api')
export class ModelImportsController {
  constructor(
    private readonly importer: ModelImporter,
    @Inject(SERVICE_CONFIG) private readonly config: ModelRegistryConfig,
  ) {}

  /** One model file or folder as the next version of the model. */
  @Post('models/:name/versions::import')
  @RequiresScope('models:write', 'import models')
  @AcceptsUpload()
  async importVersion(@Param('name') name: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply, @RequestPrincipal() principal: Principal | undefined): Promise<void> {
    const upload = await readImportUpload(request, this.config.SLIPWAY_IMPORT_MAX_BYTES);
    send(reply, await this.importer.importModel(name, { ...upload, principal }));
  }

  /** A Triton model repository: every version of every model, each model named by its folder. */
  @Post('models::import')
  @RequiresScope('models:write', 'import models')
  @AcceptsUpload()
  async importRepository(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @RequestPrincipal() principal: Principal | undefined): Promise<void> {
    const upload = await readImportUpload(request, this.config.SLIPWAY_IMPORT_MAX_BYTES);
    send(reply, await this.importer.importRepository({ ...upload, principal }));
  }
}

// The reply is sent here because the status depends on the outcome, which Nest's @HttpCode cannot express.
function send(reply: FastifyReply, { versions, created }: ImportResult): void {
  const body: ImportModelsResponse = { versions };
  void reply.status(created ? 201 : 200).header('content-type', 'application/json').send(body);
}
