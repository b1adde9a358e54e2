import type { DynamicModule, LogLevel } from '@nestjs/common';
import { ConfigError, loadConfig, type EnvVars, type ServiceConfig, type ServiceConfigDefinition } from '@slipway/config';
import { bootstrapService, type ServiceBootstrapOptions } from './bootstrap-service';

type HttpBasics = { PORT: number; HOST: string; LOG_LEVEL: LogLevel };

/**
 * A service's whole `main`: parse its configuration (a bad variable ends the process with one sentence
 * naming every bad variable, exit code 78 = EX_CONFIG), then build its module from it and start it.
 */
export function runService<V extends EnvVars>(
  definition: ServiceConfigDefinition<V>,
  moduleFor: (config: ServiceConfig<V>) => DynamicModule,
  options: Pick<ServiceBootstrapOptions, 'errorStatuses' | 'bodyLimit' | 'configureFastify'> = {},
): void {
  let config: ServiceConfig<V> & HttpBasics;
  try {
    config = loadConfig(definition) as ServiceConfig<V> & HttpBasics;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78);
  }
  bootstrapService(moduleFor(config), {
    service: definition.service,
    port: config.PORT,
    host: config.HOST,
    logLevel: config.LOG_LEVEL,
    ...options,
  }).catch((error: unknown) => {
    console.error(`${definition.service} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
}
