import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Put } from '@nestjs/common';
import {
  setAliasRequestSchema,
  updateModelMetadataRequestSchema,
  type AliasHistoryResponse,
  type ModelSignature,
  type ModelVersion,
  type RegisteredModel,
  type TensorSignature,
} from '@slipway/contracts';
import { parseRequest } from '@slipway/observability';
import { AliasProtection, ModelRegistryService, ModelSignatureService } from '@slipway/registry';
import { z } from 'zod';

const versionParamSchema = z.coerce.number().int().min(1);

@Controller('api')
export class ModelsController {
  constructor(
    private readonly registry: ModelRegistryService,
    private readonly signatures: ModelSignatureService,
    private readonly protection: AliasProtection,
  ) {}

  @Get('models')
  async list(): Promise<{ models: RegisteredModel[] }> {
    return { models: await this.registry.listModels() };
  }

  @Get('models/:name')
  get(@Param('name') name: string): Promise<RegisteredModel> {
    return this.registry.getModel(name);
  }

  @Patch('models/:name')
  update(@Param('name') name: string, @Body() body: unknown): Promise<RegisteredModel> {
    return this.registry.updateModel(name, parseRequest(updateModelMetadataRequestSchema, body, 'body'));
  }

  @Get('models/:name/versions/:version')
  version(@Param('name') name: string, @Param('version') version: string): Promise<ModelVersion> {
    return this.registry.getVersion(name, parseRequest(versionParamSchema, version, 'version'));
  }

  @Patch('models/:name/versions/:version')
  updateVersion(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown): Promise<ModelVersion> {
    const number = parseRequest(versionParamSchema, version, 'version');
    return this.registry.updateVersion(name, number, parseRequest(updateModelMetadataRequestSchema, body, 'body'));
  }

  @Get('models/:name/versions/:version/signature')
  signature(@Param('name') name: string, @Param('version') version: string): Promise<ModelSignature | TensorSignature> {
    return this.signatures.getSignature(name, parseRequest(versionParamSchema, version, 'version'));
  }

  @Get('models/:name/aliases/:alias')
  resolveAlias(@Param('name') name: string, @Param('alias') alias: string): Promise<ModelVersion> {
    return this.registry.resolveAlias(name, alias);
  }

  /** Protected aliases (SLIPWAY_PROTECTED_ALIASES) need `Authorization: Bearer <token>` with promote:<alias>. */
  @Put('models/:name/aliases/:alias')
  setAlias(
    @Param('name') name: string,
    @Param('alias') alias: string,
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<ModelVersion> {
    const { version } = parseRequest(setAliasRequestSchema, body, 'body');
    const actor = this.protection.authorize(name, alias, authorization);
    return this.registry.setAlias(name, alias, version, actor);
  }

  @Delete('models/:name/aliases/:alias')
  @HttpCode(204)
  async deleteAlias(@Param('name') name: string, @Param('alias') alias: string, @Headers('authorization') authorization: string | undefined): Promise<void> {
    const actor = this.protection.authorize(name, alias, authorization);
    await this.registry.deleteAlias(name, alias, actor);
  }

  /** The alias's audit log, newest first: who moved it, when, from and to which version. */
  @Get('models/:name/aliases/:alias/history')
  async aliasHistory(@Param('name') name: string, @Param('alias') alias: string): Promise<AliasHistoryResponse> {
    return { entries: await this.registry.aliasHistory(name, alias) };
  }

  /** What serving should load: every model's version the alias points at. */
  @Get('aliases/:alias/targets')
  async aliasTargets(@Param('alias') alias: string): Promise<{ targets: ModelVersion[] }> {
    return { targets: await this.registry.listAliasTargets(alias) };
  }
}
