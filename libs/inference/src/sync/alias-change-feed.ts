import { ALIAS_CHANGED_CHANNEL } from '@slipway/contracts';
import { closeRedis, createRedisConnection } from '@slipway/queue';
import type { Redis } from 'ioredis';

/** The registry's alias-changed messages: fast, but a replica may miss one, which the periodic sync then catches. */
export interface AliasChangeFeed {
  /** Calls `onChange` on every message; resolves at once, listening from when Redis answers (and again after each reconnect). */
  subscribe(onChange: () => void): Promise<void>;
  close(): Promise<void>;
}

/** The feed over Redis pub/sub, on a connection of its own (a subscribed connection can do nothing else). */
export function redisAliasChanges(redisUrl: string): AliasChangeFeed {
  let subscriber: Redis | undefined;
  return {
    async subscribe(onChange) {
      subscriber = createRedisConnection(redisUrl, 'worker', 'slipway-serving-alias-subscriber');
      subscriber.on('message', () => onChange());
      // Not awaited: with Redis away the SUBSCRIBE waits offline, and serving must listen (not ready) meanwhile.
      // ioredis subscribes again by itself after a reconnect; its errors are logged by the connection.
      subscriber.subscribe(ALIAS_CHANGED_CHANNEL).catch(() => undefined);
    },
    async close() {
      if (subscriber) await closeRedis(subscriber);
    },
  };
}
