import type { Provider } from '@nestjs/common';
import { SERVICE_CONFIG, type ModelRegistryConfig } from '@slipway/config';
import { ALIAS_CHANGED_CHANNEL, eventsQueue } from '@slipway/contracts';
import { producerToken, REQUEST_REDIS, type TypedProducer } from '@slipway/queue';
import {
  AliasProtection,
  ApiTokenService,
  LineageService,
  ModelImporter,
  ModelRegistryService,
  ModelSignatureService,
  OidcVerifier,
  RunAuthority,
  RunService,
  SqlModelStore,
  SqlRunStore,
  TrackingService,
  type RegistryDb,
} from '@slipway/registry';
import { ARTIFACT_STORE, type ArtifactStore } from '@slipway/storage';
import type { Redis } from 'ioredis';
import { REGISTRY_DB } from './database/registry-database.module';

/** Run and step status changes go to monitoring over the events queue; alias moves reach every serving replica over pub/sub. */
export const registryServiceProviders: Provider[] = [
  {
    provide: RunService,
    inject: [SqlRunStore, producerToken(eventsQueue)],
    useFactory: (store: SqlRunStore, events: TypedProducer<typeof eventsQueue>) =>
      new RunService(store, {
        onRunStatusChanged: async (run) => {
          await events.add('run-status-changed', { runId: run.id, pipelineName: run.pipelineName, status: run.status, at: new Date().toISOString() });
        },
        onStepStatusChanged: async ({ run, step, at, epoch }) => {
          await events.add('step-status-changed', { runId: run.id, pipelineName: run.pipelineName, step: step.name, pipelineStep: step.step, kind: step.kind, status: step.status, at, epoch });
        },
      }),
  },
  {
    provide: ModelRegistryService,
    inject: [SqlModelStore, REQUEST_REDIS],
    useFactory: (store: SqlModelStore, redis: Redis) =>
      new ModelRegistryService(store, {
        onAliasChanged: async (message) => void (await redis.publish(ALIAS_CHANGED_CHANNEL, JSON.stringify(message))),
      }),
  },
  {
    provide: ModelSignatureService,
    inject: [ModelRegistryService, ARTIFACT_STORE],
    useFactory: (registry: ModelRegistryService, store: ArtifactStore) => new ModelSignatureService(registry, store),
  },
  {
    provide: ModelImporter,
    inject: [ModelRegistryService, ARTIFACT_STORE, AliasProtection],
    useFactory: (registry: ModelRegistryService, store: ArtifactStore, protection: AliasProtection) => new ModelImporter(registry, store, protection),
  },
  { provide: TrackingService, inject: [REGISTRY_DB, SqlRunStore], useFactory: (db: RegistryDb, store: SqlRunStore) => new TrackingService(db, store) },
  { provide: LineageService, inject: [RunService, ModelRegistryService], useFactory: (runs: RunService, registry: ModelRegistryService) => new LineageService(runs, registry) },
  { provide: AliasProtection, inject: [SERVICE_CONFIG], useFactory: (config: ModelRegistryConfig) => new AliasProtection({ protectedAliases: config.SLIPWAY_PROTECTED_ALIASES }) },
  {
    provide: ApiTokenService,
    inject: [REGISTRY_DB, SERVICE_CONFIG],
    useFactory: (db: RegistryDb, config: ModelRegistryConfig) =>
      new ApiTokenService(db, {
        declared: config.SLIPWAY_API_TOKENS,
        oidc:
          config.SLIPWAY_OIDC_ISSUER === undefined
            ? undefined
            : new OidcVerifier({
                issuer: config.SLIPWAY_OIDC_ISSUER,
                audience: config.SLIPWAY_OIDC_AUDIENCE,
                jwksUrl: config.SLIPWAY_OIDC_JWKS_URL,
                scopesClaim: config.SLIPWAY_OIDC_SCOPES_CLAIM,
                nameClaim: config.SLIPWAY_OIDC_NAME_CLAIM,
              }),
      }),
  },
  {
    provide: RunAuthority,
    inject: [AliasProtection, ApiTokenService],
    useFactory: (protection: AliasProtection, tokens: ApiTokenService) => new RunAuthority(protection, tokens),
  },
];
