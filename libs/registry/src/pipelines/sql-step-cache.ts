import { cacheKeyComponentsSchema, type StepKind } from '@slipway/contracts';
import { readJsonColumn, toJsonColumn } from '../database/json-column';
import type { RegistryDb, StepCacheRow } from '../database/registry-database.types';
import { STEP_OUTPUT_SCHEMAS } from '../runs/step-outputs';
import { cacheKey, paramsDigest } from './cache-key';
import { PREPARE_CANDIDATES, type CacheEntry, type CacheEntryOf, type NewCacheEntry, type StepCacheStore } from './step-cache';

/** The step cache in the registry's SQL database. */
export class SqlStepCache implements StepCacheStore {
  constructor(
    private readonly db: RegistryDb,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async lookup(key: string): Promise<CacheEntry | undefined> {
    const row = await this.db.selectFrom('step_cache').selectAll().where('key', '=', key).executeTakeFirst();
    return row === undefined ? undefined : toCacheEntry(row);
  }

  async put(entry: NewCacheEntry): Promise<void> {
    await this.db
      .insertInto('step_cache')
      .values({
        key: cacheKey(entry.components),
        kind: entry.kind,
        pipeline_name: entry.pipelineName,
        step: entry.step,
        run_id: entry.runId,
        run_step: entry.runStep,
        params_digest: paramsDigest(entry.components.kind, entry.components.params),
        components_json: toJsonColumn(entry.components),
        output_json: toJsonColumn(entry.output),
        created_at: this.clock().toISOString(),
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }

  async withSameParams<K extends StepKind>(kind: K, params: unknown): Promise<CacheEntryOf<K>[]> {
    const rows = await this.db
      .selectFrom('step_cache')
      .selectAll()
      .where('params_digest', '=', paramsDigest(kind, params))
      .orderBy('created_at', 'desc')
      .limit(PREPARE_CANDIDATES)
      .execute();
    // The params digest covers the kind, so every entry is of `kind`.
    return rows.map(toCacheEntry) as CacheEntryOf<K>[];
  }

  async nearest(pipelineName: string, step: string, otherThanRun: string): Promise<CacheEntry | undefined> {
    const row = await this.db
      .selectFrom('step_cache')
      .selectAll()
      .where('pipeline_name', '=', pipelineName)
      .where('step', '=', step)
      .where('run_id', '!=', otherThanRun)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toCacheEntry(row);
  }
}

function toCacheEntry(row: StepCacheRow): CacheEntry {
  const column = (name: string) => `step_cache.${name} of key ${row.key}`;
  return {
    key: row.key,
    kind: row.kind,
    pipelineName: row.pipeline_name,
    step: row.step,
    runId: row.run_id,
    runStep: row.run_step,
    components: readJsonColumn(cacheKeyComponentsSchema, row.components_json, column('components_json')),
    output: readJsonColumn(STEP_OUTPUT_SCHEMAS[row.kind], row.output_json, column('output_json')),
    createdAt: row.created_at,
  } as CacheEntry;
}
