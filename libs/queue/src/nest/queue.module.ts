import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit, type Provider } from '@nestjs/common';
import type { QueueContract } from '@slipway/contracts';
import { HealthService } from '@slipway/observability';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { closeRedis, createRedisConnection, pingRedis } from '../connection/redis-connection';
import { ObservedQueue, ObservedWorker, redisRecovered } from '../connection/redis-errors';
import { redisOptionsFromUrl } from '../connection/redis-options';
import { TypedProducer } from '../producer/typed-producer';
import { queueTelemetry } from '../telemetry/queue-telemetry';

/** Fail-fast Redis connection for request paths, pub/sub publishing and readiness. */
export const REQUEST_REDIS = Symbol('REQUEST_REDIS');
export const QUEUE_SETTINGS = Symbol('QUEUE_SETTINGS');

export interface QueueSettings {
  redisUrl: string;
  prefix: string;
  /** Name shown by `CLIENT LIST`, to tell services apart in Redis. */
  service: string;
}

// @nestjs/bullmq creates every queue and worker from these classes (process-wide), so their Redis errors are logged.
// Set on import, because BullModule.registerQueue reads the class when called, which may be before forRoot.
BullModule.queueClass = ObservedQueue;
BullModule.workerClass = ObservedWorker;

export const producerToken = (contract: QueueContract): string => `TypedProducer:${contract.name}`;
export const InjectProducer = (contract: QueueContract): ParameterDecorator => Inject(producerToken(contract));

@Injectable()
class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REQUEST_REDIS) private readonly redis: Redis,
    private readonly health: HealthService,
  ) {}

  onModuleInit(): void {
    this.health.register('redis', () => pingRedis(this.redis));
    this.redis.on('ready', redisRecovered);
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}

@Module({})
export class QueueModule {
  /**
   * BullMQ's root connection, key prefix and telemetry (shared by every queue and worker the app registers, so jobs
   * carry the trace they were added in), plus the request-path Redis connection and its readiness check.
   */
  static forRoot(settings: QueueSettings): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRoot({
          connection: { ...redisOptionsFromUrl(settings.redisUrl), connectionName: `slipway-${settings.service}` },
          prefix: settings.prefix,
          telemetry: queueTelemetry(),
        }),
      ],
      providers: [
        { provide: QUEUE_SETTINGS, useValue: settings },
        { provide: REQUEST_REDIS, useFactory: () => createRedisConnection(settings.redisUrl, 'request', `slipway-${settings.service}-requests`) },
        RedisLifecycle,
      ],
      exports: [REQUEST_REDIS, QUEUE_SETTINGS],
    };
  }

  /** Registers the queues and a TypedProducer for each, injectable with @InjectProducer(contract). */
  static forQueues(...contracts: QueueContract[]): DynamicModule {
    const producers: Provider[] = contracts.map((contract) => ({
      provide: producerToken(contract),
      useFactory: (queue: Queue) => new TypedProducer(contract, queue),
      inject: [getQueueToken(contract.name)],
    }));
    const queues = BullModule.registerQueue(...contracts.map((contract) => ({ name: contract.name, defaultJobOptions: { ...contract.defaultJobOptions } })));
    return {
      module: QueueModule,
      imports: [queues],
      providers: producers,
      exports: [queues, ...producers],
    };
  }
}
