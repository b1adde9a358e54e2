import { Global, Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { createMetricsRegistry, METRICS_REGISTRY } from './metrics/metrics-registry';
import { TracingShutdown } from './tracing/tracing-shutdown';

/** Health, readiness, /metrics and the export of the last spans at shutdown for one service; global so any module can register checks and metrics. */
@Global()
@Module({})
export class ObservabilityModule {
  static forService(service: string): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [HealthController],
      providers: [HealthService, { provide: METRICS_REGISTRY, useFactory: () => createMetricsRegistry(service) }, TracingShutdown],
      exports: [HealthService, METRICS_REGISTRY],
    };
  }
}
