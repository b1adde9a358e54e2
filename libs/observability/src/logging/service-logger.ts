import { ConsoleLogger, type LogLevel } from '@nestjs/common';

const LEVELS_BY_SEVERITY: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** JSON lines on stdout, one object per entry, so any log collector can parse them. */
export function createServiceLogger(service: string, lowestLevel: LogLevel = 'log'): ConsoleLogger {
  const cutoff = LEVELS_BY_SEVERITY.indexOf(lowestLevel);
  return new ConsoleLogger(service, {
    json: true,
    colors: false,
    logLevels: LEVELS_BY_SEVERITY.slice(0, cutoff + 1),
  });
}
