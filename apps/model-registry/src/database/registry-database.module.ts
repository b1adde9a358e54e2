import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HealthService } from '@slipway/observability';
import { migrateToLatest, openRegistryDatabase, type RegistryDb } from '@slipway/registry';
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

/** The registry database, migrated before the service takes any request. */
@Module({})
export class RegistryDatabaseModule {
  static forUrl(url: string): DynamicModule {
    return {
      module: RegistryDatabaseModule,
      providers: [{ provide: REGISTRY_DB, useFactory: () => openRegistryDatabase(url) }, RegistryDatabaseLifecycle],
      exports: [REGISTRY_DB],
    };
  }
}
