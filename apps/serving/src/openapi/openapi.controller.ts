import { Controller, Get } from '@nestjs/common';
import { buildOpenApiDocument } from './openapi-document';

@Controller('openapi.json')
export class OpenApiController {
  private readonly document = buildOpenApiDocument();

  @Get()
  describe(): object {
    return this.document;
  }
}
