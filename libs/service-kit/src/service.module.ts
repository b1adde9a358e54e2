import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceName } from '@slipway/config';
import type { QueueContract } from '@slipway/contracts';
import { ObservabilityModule } from '@slipway/observability';
import { QueueModule } from '@slipway/queue';
import { ARTIFACT_STORE, createArtifactStore } from '@slipway/storage';
import { ArtifactStoreReadiness } from './artifact-store.readiness';

/**
 * How a service uses the artifact store named by SLIPWAY_ARTIFACTS: `'rw'` writes artifacts, so the store's
 * writability joins readiness; `'ro'` only reads them (transforms, training statistics), so a read-only volume
 * does not keep the service unready.
 */
export type ArtifactAccess = 'rw' | 'ro';

/** The variables every service has that the kit wires. */
export interface ServiceBasics {
  REDIS_URL: string;
  SLIPWAY_QUEUE_PREFIX: string;
}

export interface ServiceModuleOptions {
  /** Queues the service adds jobs to or consumes, each with its TypedProducer. @defaultValue none */
  queues?: readonly QueueContract[];
  /** Whether the service gets the artifact store (as ARTIFACT_STORE) and how it uses it. @defaultValue no store */
  artifacts?: ArtifactAccess;
}

/**
 * The wiring every Slipway service shares, in one place: health, readiness and /metrics; BullMQ's connection,
 * key prefix and telemetry with the service's queues and producers; the artifact store behind ARTIFACT_STORE; and
 * the parsed configuration behind SERVICE_CONFIG. Global, so every module of the app injects them.
 */
@Module({})
export class ServiceModule {
  static forService(service: ServiceName, config: ServiceBasics, options?: Omit<ServiceModuleOptions, 'artifacts'>): DynamicModule;
  static forService(service: ServiceName, config: ServiceBasics & { SLIPWAY_ARTIFACTS: string }, options: ServiceModuleOptions): DynamicModule;
  static forService(service: ServiceName, config: ServiceBasics & { SLIPWAY_ARTIFACTS?: string }, options: ServiceModuleOptions = {}): DynamicModule {
    const queues = QueueModule.forQueues(...(options.queues ?? []));
    const providers: Provider[] = [{ provide: SERVICE_CONFIG, useValue: config }];
    const exports: DynamicModule['exports'] = [SERVICE_CONFIG, queues];
    if (options.artifacts) {
      const location = config.SLIPWAY_ARTIFACTS as string;
      providers.push({ provide: ARTIFACT_STORE, useFactory: () => createArtifactStore(location) });
      if (options.artifacts === 'rw') providers.push(ArtifactStoreReadiness);
      exports.push(ARTIFACT_STORE);
    }
    return {
      module: ServiceModule,
      global: true,
      imports: [
        ObservabilityModule.forService(service),
        QueueModule.forRoot({ redisUrl: config.REDIS_URL, prefix: config.SLIPWAY_QUEUE_PREFIX, service }),
        queues,
      ],
      providers,
      exports,
    };
  }
}
