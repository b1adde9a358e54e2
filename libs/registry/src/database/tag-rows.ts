import type { Tags, TagsPatch } from '@slipway/contracts';

/** Tag rows `[owner, key, value]` grouped by owner. */
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
