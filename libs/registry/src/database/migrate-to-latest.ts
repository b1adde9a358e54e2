import { Migrator } from 'kysely';
import type { RegistryDb } from './registry-database.types';
import { RegistryMigrationError } from './registry-migration.error';
import { registryMigrationProvider } from './registry-migrations';

/**
 * Brings the schema up to date; safe to call on every start (already applied migrations are skipped).
 * @returns the names of the migrations applied by this call, in order.
 */
export async function migrateToLatest(db: RegistryDb): Promise<string[]> {
  const migrator = new Migrator({ db, provider: registryMigrationProvider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error');
    throw new RegistryMigrationError(failed?.migrationName ?? null, error);
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
