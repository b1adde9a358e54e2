import { ALIAS_CHANGED_CHANNEL } from '@slipway/contracts';
import { createRedisConnection } from '@slipway/queue';
import type { Redis } from 'ioredis';

/** The registry's alias-changed messages: fast, but a replica may miss one, which the periodic sync then catches. */
export interface AliasChangeFeed {
  /** Calls `onChange` on every message; resolves once listening. */
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
      await subscriber.subscribe(ALIAS_CHANGED_CHANNEL);
    },
    async close() {
      await subscriber?.quit().catch(() => subscriber?.disconnect());
    },
  };
}
