import type { Tags, TagsPatch } from '@slipway/contracts';
import type { RegistryDb } from '../database/registry-database.types';

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

export function groupTags(rows: readonly (readonly [string, string, string])[]): Map<string, Tags> {
  const byOwner = new Map<string, Tags>();
  for (const [owner, key, value] of rows) {
    const tags = byOwner.get(owner) ?? {};
    tags[key] = value;
    byOwner.set(owner, tags);
  }
  return byOwner;
}

/** Splits a PATCH into the tags to write and the keys to remove. */
export function splitTagsPatch(patch: TagsPatch): { set: [string, string][]; remove: string[] } {
  const set: [string, string][] = [];
  const remove: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) remove.push(key);
    else set.push([key, value]);
  }
  return { set, remove };
}
