import { Controller, Get } from '@nestjs/common';
import type { PlatformSummary } from '@slipway/contracts';
import { PlatformMetrics } from '@slipway/platform-metrics';

@Controller('api')
export class SummaryController {
  constructor(private readonly platform: PlatformMetrics) {}

  @Get('summary')
  summary(): PlatformSummary {
    return this.platform.summary();
  }
}
