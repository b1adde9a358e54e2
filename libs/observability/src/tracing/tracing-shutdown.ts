import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { stopTracing } from './tracing';

/**
 * Exports the spans still queued when the service stops. ObservabilityModule is global and every app imports it
 * first, and Nest shuts global modules down last, in reverse order of import: the workers have closed (and ended
 * the spans of the jobs they finished) before this runs.
 */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTracing();
  }
}
