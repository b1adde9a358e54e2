import type { Migration, MigrationProvider } from 'kysely';
import { initialMigration } from './migrations/0001-initial';
import { trackingMigration } from './migrations/0002-tracking';
import { pipelineDagMigration } from './migrations/0003-pipeline-dag';
import { schedulesMigration } from './migrations/0004-schedules';
import { regressionEpochsMigration } from './migrations/0005-regression-epochs';
import { importedVersionsMigration } from './migrations/0006-imported-versions';
import { accessMigration } from './migrations/0007-access';

/**
 * Migrations compiled into the code rather than read from a folder at run time, so a bundled
 * service cannot lose them. Names sort in the order they must run; never rename or edit a shipped one.
 */
export const REGISTRY_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initialMigration,
  '0002-tracking': trackingMigration,
  '0003-pipeline-dag': pipelineDagMigration,
  '0004-schedules': schedulesMigration,
  '0005-regression-epochs': regressionEpochsMigration,
  '0006-imported-versions': importedVersionsMigration,
  '0007-access': accessMigration,
};

export const registryMigrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...REGISTRY_MIGRATIONS }),
};
