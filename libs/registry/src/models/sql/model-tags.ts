import type { Tags } from '@slipway/contracts';
import type { RegistryDb } from '../../database/registry-database.types';
import { groupTags } from '../../database/tag-rows';

/** Tags of the named models, by model name. */
export async function loadModelTags(db: RegistryDb, models: readonly string[]): Promise<Map<string, Tags>> {
  const rows = await db.selectFrom('model_tags').selectAll().where('model_name', 'in', models).orderBy('key').execute();
  return groupTags(rows.map((r) => [r.model_name, r.key, r.value]));
}

/** Tags of every version of the named models, by `<model>@<version>`. */
export async function loadVersionTags(db: RegistryDb, models: readonly string[]): Promise<Map<string, Tags>> {
  const rows = await db.selectFrom('model_version_tags').selectAll().where('model_name', 'in', models).orderBy('key').execute();
  return groupTags(rows.map((r) => [`${r.model_name}@${r.version}`, r.key, r.value]));
}
