import type { DynamicModule, LogLevel } from '@nestjs/common';
import { ConfigError, loadConfig, type EnvVars, type ServiceConfig, type ServiceConfigDefinition } from '@slipway/config';
import { createServiceLogger } from '../logging/service-logger';
import { otlpTraceExporter } from '../tracing/otlp-trace-exporter';
import { startTracing } from '../tracing/tracing';
import { bootstrapService, type ServiceBootstrapOptions } from './bootstrap-service';

type HttpBasics = { PORT: number; HOST: string; LOG_LEVEL: LogLevel; OTEL_EXPORTER_OTLP_ENDPOINT?: string };
type RunOptions = Pick<ServiceBootstrapOptions, 'httpErrors' | 'bodyLimit' | 'configureFastify'>;

/**
 * A service's whole `main`: parse its configuration (a bad variable ends the process with one sentence
 * naming every bad variable, exit code 78 = EX_CONFIG), start tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set, then
 * build its module from it and start it. Tracing starts before the module is built, so the queues the module
 * creates get BullMQ's telemetry and the HTTP server gets its request spans.
 */
export function runService<V extends EnvVars>(
  definition: ServiceConfigDefinition<V>,
  moduleFor: (config: ServiceConfig<V>) => DynamicModule,
  options: RunOptions,
): void {
  let config: ServiceConfig<V> & HttpBasics;
  try {
    config = loadConfig(definition) as ServiceConfig<V> & HttpBasics;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78);
  }
  start(definition.service, config, () => moduleFor(config), options).catch((error: unknown) => {
    console.error(`${definition.service} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
}

async function start(service: string, config: HttpBasics, buildModule: () => DynamicModule, options: RunOptions): Promise<void> {
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT) {
    await startTracing({
      service,
      exporter: await otlpTraceExporter(config.OTEL_EXPORTER_OTLP_ENDPOINT),
      logger: createServiceLogger(service, config.LOG_LEVEL),
    });
  }
  await bootstrapService(buildModule(), { service, port: config.PORT, host: config.HOST, logLevel: config.LOG_LEVEL, ...options });
}
