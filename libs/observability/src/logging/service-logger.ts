import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { activeTraceIds } from '../tracing/tracing';

const LEVELS_BY_SEVERITY: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

type JsonLogOptions = Parameters<ConsoleLogger['getJsonLogObject']>[1];

/** Nest's JSON console logger, plus the ids of the active span so a log line leads to its trace (and back). */
class TracedJsonLogger extends ConsoleLogger {
  protected override getJsonLogObject(message: unknown, options: JsonLogOptions): ReturnType<ConsoleLogger['getJsonLogObject']> {
    const entry = super.getJsonLogObject(message, options);
    const ids = activeTraceIds();
    return ids ? { ...entry, ...ids } : entry;
  }
}

/** JSON lines on stdout, one object per entry, so any log collector can parse them; `traceId`/`spanId` while a span is active. */
export function createServiceLogger(service: string, lowestLevel: LogLevel = 'log'): ConsoleLogger {
  const cutoff = LEVELS_BY_SEVERITY.indexOf(lowestLevel);
  return new TracedJsonLogger(service, {
    json: true,
    colors: false,
    logLevels: LEVELS_BY_SEVERITY.slice(0, cutoff + 1),
  });
}
