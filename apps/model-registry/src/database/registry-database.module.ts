import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HealthService } from '@slipway/observability';
import { migrateToLatest, openRegistryDatabase, SqlModelStore, SqlRunStore, SqlStepCache, type RegistryDb } from '@slipway/registry';
import { sql } from 'kysely';

export const REGISTRY_DB = Symbol('REGISTRY_DB');

@Injectable()
class RegistryDatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RegistryDatabase');

  constructor(
    @Inject(REGISTRY_DB) private readonly db: RegistryDb,
    private readonly health: HealthService,
  ) {}

  async onModuleInit(): Promise<void> {
    const applied = await migrateToLatest(this.db);
    this.logger.log({ event: 'database.migrated', applied });
    this.health.register('database', async () => void (await sql`select 1`.execute(this.db)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}

const stores = [SqlRunStore, SqlModelStore, SqlStepCache].map((store) => ({ provide: store, inject: [REGISTRY_DB], useFactory: (db: RegistryDb) => new store(db) }));

/** The registry database, migrated before the service takes any request, and the stores of runs, models and cached steps over it. */
@Module({})
export class RegistryDatabaseModule {
  static forUrl(url: string): DynamicModule {
    return {
      module: RegistryDatabaseModule,
      providers: [{ provide: REGISTRY_DB, useFactory: () => openRegistryDatabase(url) }, RegistryDatabaseLifecycle, ...stores],
      exports: [REGISTRY_DB, ...stores.map(({ provide }) => provide)],
    };
  }
}
