import { Logger } from '@nestjs/common';
import { ConnectionErrorLog, type ErrorEmitter } from '@slipway/observability';
import { Queue, Worker } from 'bullmq';

/** One log for every Redis connection of the process, so an outage is one line per interval, not one per connection per retry. */
const redisErrorLog = new ConnectionErrorLog(new Logger('Redis'), { event: 'redis.error' });

/** Sends the emitter's Redis errors to the JSON log (rate-limited); returns the emitter. */
export function observeRedisErrors<E extends ErrorEmitter>(source: string, emitter: E): E {
  return redisErrorLog.watch(source, emitter);
}

/** Redis answers again: the next outage is reported at once. */
export function redisRecovered(): void {
  redisErrorLog.reset();
}

/** The queues @nestjs/bullmq creates, with their Redis errors logged. */
export class ObservedQueue extends Queue {
  constructor(...args: ConstructorParameters<typeof Queue>) {
    super(...args);
    observeRedisErrors(`queue ${this.name}`, this);
  }
}

/** The workers @nestjs/bullmq creates for @Processor classes, with their Redis errors logged. */
export class ObservedWorker extends Worker {
  constructor(...args: ConstructorParameters<typeof Worker>) {
    super(...args);
    observeRedisErrors(`worker ${this.name}`, this);
  }
}
