import { Controller, Get, Param } from '@nestjs/common';
import type { DatasetLineage, ModelLineage } from '@slipway/contracts';
import { parseRequest } from '@slipway/observability';
import { LineageService } from '@slipway/registry';
import { z } from 'zod';

const versionParamSchema = z.coerce.number().int().min(1);

@Controller('api/lineage')
export class LineageController {
  constructor(private readonly lineage: LineageService) {}

  @Get('models/:name/versions/:version')
  forVersion(@Param('name') name: string, @Param('version') version: string): Promise<ModelLineage> {
    return this.lineage.forVersion(name, parseRequest(versionParamSchema, version, 'version'));
  }

  @Get('models/:name/aliases/:alias')
  forAlias(@Param('name') name: string, @Param('alias') alias: string): Promise<ModelLineage> {
    return this.lineage.forAlias(name, alias);
  }

  /** Everything that came from the source dataset with this digest (`sha256:<hex>`). */
  @Get('datasets/:digest')
  forDataset(@Param('digest') digest: string): Promise<DatasetLineage> {
    return this.lineage.forDataset(digest);
  }
}
