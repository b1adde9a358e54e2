import type { Provider } from '@nestjs/common';
import { SERVICE_CONFIG, type ModelRegistryConfig } from '@slipway/config';
import { ALIAS_CHANGED_CHANNEL, eventsQueue, type Run } from '@slipway/contracts';
import { producerToken, REQUEST_REDIS, type TypedProducer } from '@slipway/queue';
import {
  AliasProtection,
  LineageService,
  ModelMetadataService,
  ModelRegistryService,
  ModelSignatureService,
  RunService,
  TrackingService,
  type RegistryDb,
} from '@slipway/registry';
import { ARTIFACT_STORE, type ArtifactStore } from '@slipway/storage';
import type { Redis } from 'ioredis';
import { REGISTRY_DB } from './database/registry-database.module';

/** Run status changes go to monitoring over the events queue; alias moves reach every serving replica over pub/sub. */
export const registryServiceProviders: Provider[] = [
  {
    provide: RunService,
    inject: [REGISTRY_DB, producerToken(eventsQueue)],
    useFactory: (db: RegistryDb, events: TypedProducer<typeof eventsQueue>) =>
      new RunService(db, {
        onRunStatusChanged: async (run: Run) => {
          await events.add('run-status-changed', { runId: run.id, pipelineName: run.pipelineName, status: run.status, at: new Date().toISOString() });
        },
      }),
  },
  {
    provide: ModelRegistryService,
    inject: [REGISTRY_DB, REQUEST_REDIS],
    useFactory: (db: RegistryDb, redis: Redis) =>
      new ModelRegistryService(db, {
        onAliasChanged: async (message) => void (await redis.publish(ALIAS_CHANGED_CHANNEL, JSON.stringify(message))),
      }),
  },
  { provide: ModelMetadataService, inject: [REGISTRY_DB, ModelRegistryService], useFactory: (db: RegistryDb, registry: ModelRegistryService) => new ModelMetadataService(db, registry) },
  {
    provide: ModelSignatureService,
    inject: [ModelRegistryService, ARTIFACT_STORE],
    useFactory: (registry: ModelRegistryService, store: ArtifactStore) => new ModelSignatureService(registry, store),
  },
  { provide: TrackingService, inject: [REGISTRY_DB], useFactory: (db: RegistryDb) => new TrackingService(db) },
  { provide: LineageService, inject: [REGISTRY_DB, ModelRegistryService], useFactory: (db: RegistryDb, registry: ModelRegistryService) => new LineageService(db, registry) },
  {
    provide: AliasProtection,
    inject: [SERVICE_CONFIG],
    useFactory: (config: ModelRegistryConfig) =>
      new AliasProtection({ protectedAliases: config.SLIPWAY_PROTECTED_ALIASES, tokens: config.SLIPWAY_API_TOKENS }),
  },
];
