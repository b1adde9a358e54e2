import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Put } from '@nestjs/common';
import {
  aliasNameSchema,
  modelNameSchema,
  setAliasRequestSchema,
  updateModelMetadataRequestSchema,
  type AliasHistoryResponse,
  type ModelSignature,
  type ModelVersion,
  type Principal,
  type RegisteredModel,
  type TensorSignature,
} from '@slipway/contracts';
import { parseRequest } from '@slipway/observability';
import { AliasProtection, ModelRegistryService, ModelSignatureService } from '@slipway/registry';
import { RequestPrincipal, RequiresScope } from '@slipway/service-kit';
import { z } from 'zod';

const versionParamSchema = z.coerce.number().int().min(1);
const modelParam = (name: string) => parseRequest(modelNameSchema, name, 'name');
const aliasParam = (alias: string) => parseRequest(aliasNameSchema, alias, 'alias');

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
  @RequiresScope('models:write', 'edit model metadata')
  update(@Param('name') name: string, @Body() body: unknown): Promise<RegisteredModel> {
    return this.registry.updateModel(modelParam(name), parseRequest(updateModelMetadataRequestSchema, body, 'body'));
  }

  @Get('models/:name/versions/:version')
  version(@Param('name') name: string, @Param('version') version: string): Promise<ModelVersion> {
    return this.registry.getVersion(name, parseRequest(versionParamSchema, version, 'version'));
  }

  @Patch('models/:name/versions/:version')
  @RequiresScope('models:write', 'edit version metadata')
  updateVersion(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown): Promise<ModelVersion> {
    const number = parseRequest(versionParamSchema, version, 'version');
    return this.registry.updateVersion(modelParam(name), number, parseRequest(updateModelMetadataRequestSchema, body, 'body'));
  }

  @Get('models/:name/versions/:version/signature')
  signature(@Param('name') name: string, @Param('version') version: string): Promise<ModelSignature | TensorSignature> {
    return this.signatures.getSignature(name, parseRequest(versionParamSchema, version, 'version'));
  }

  @Get('models/:name/aliases/:alias')
  resolveAlias(@Param('name') name: string, @Param('alias') alias: string): Promise<ModelVersion> {
    return this.registry.resolveAlias(name, aliasParam(alias));
  }

  /** Protected aliases (SLIPWAY_PROTECTED_ALIASES) need a token with promote:<alias>, whether or not writes need tokens. */
  @Put('models/:name/aliases/:alias')
  @RequiresScope('models:write', 'move aliases')
  setAlias(@Param('name') name: string, @Param('alias') alias: string, @Body() body: unknown, @RequestPrincipal() principal: Principal | undefined): Promise<ModelVersion> {
    const model = modelParam(name);
    const target = aliasParam(alias);
    const { version } = parseRequest(setAliasRequestSchema, body, 'body');
    const actor = this.protection.authorize(model, target, principal);
    return this.registry.setAlias(model, target, version, actor);
  }

  @Delete('models/:name/aliases/:alias')
  @RequiresScope('models:write', 'delete aliases')
  @HttpCode(204)
  async deleteAlias(@Param('name') name: string, @Param('alias') alias: string, @RequestPrincipal() principal: Principal | undefined): Promise<void> {
    const model = modelParam(name);
    const target = aliasParam(alias);
    const actor = this.protection.authorize(model, target, principal);
    await this.registry.deleteAlias(model, target, actor);
  }

  /** The alias's audit log, newest first: who moved it, when, from and to which version. */
  @Get('models/:name/aliases/:alias/history')
  async aliasHistory(@Param('name') name: string, @Param('alias') alias: string): Promise<AliasHistoryResponse> {
    return { entries: await this.registry.aliasHistory(name, aliasParam(alias)) };
  }

  /** What serving should load: every model's version the alias points at. */
  @Get('aliases/:alias/targets')
  async aliasTargets(@Param('alias') alias: string): Promise<{ targets: ModelVersion[] }> {
    return { targets: await this.registry.listAliasTargets(aliasParam(alias)) };
  }
}
