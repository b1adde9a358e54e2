import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { setAliasRequestSchema, type ModelVersion, type RegisteredModel } from '@slipway/contracts';
import { parseRequest } from '@slipway/observability';
import { ModelRegistryService } from '@slipway/registry';
import { z } from 'zod';

const versionParamSchema = z.coerce.number().int().min(1);

@Controller('api')
export class ModelsController {
  constructor(private readonly registry: ModelRegistryService) {}

  @Get('models')
  async list(): Promise<{ models: RegisteredModel[] }> {
    return { models: await this.registry.listModels() };
  }

  @Get('models/:name')
  get(@Param('name') name: string): Promise<RegisteredModel> {
    return this.registry.getModel(name);
  }

  @Get('models/:name/versions/:version')
  version(@Param('name') name: string, @Param('version') version: string): Promise<ModelVersion> {
    return this.registry.getVersion(name, parseRequest(versionParamSchema, version, 'version'));
  }

  @Get('models/:name/aliases/:alias')
  resolveAlias(@Param('name') name: string, @Param('alias') alias: string): Promise<ModelVersion> {
    return this.registry.resolveAlias(name, alias);
  }

  @Put('models/:name/aliases/:alias')
  setAlias(@Param('name') name: string, @Param('alias') alias: string, @Body() body: unknown): Promise<ModelVersion> {
    const { version } = parseRequest(setAliasRequestSchema, body, 'body');
    return this.registry.setAlias(name, alias, version, 'api');
  }

  @Delete('models/:name/aliases/:alias')
  @HttpCode(204)
  async deleteAlias(@Param('name') name: string, @Param('alias') alias: string): Promise<void> {
    await this.registry.deleteAlias(name, alias, 'api');
  }

  /** What serving should load: every model's version the alias points at. */
  @Get('aliases/:alias/targets')
  async aliasTargets(@Param('alias') alias: string): Promise<{ targets: ModelVersion[] }> {
    return { targets: await this.registry.listAliasTargets(alias) };
  }
}
