import type { StepKind } from '@slipway/contracts';
import { toJsonColumn } from '../database/json-column';
import type { RegistryDb, StepCacheRow } from '../database/registry-database.types';
import { cacheKey, paramsDigest, type CacheKeyComponents } from './cache-key';

export interface CacheEntryInput {
  components: CacheKeyComponents;
  pipelineName: string;
  /** The pipeline step's name. */
  step: string;
  runId: string;
  /** The run's step that produced the output (a grid training's own name). */
  runStep: string;
  output: unknown;
}

/** How many earlier prepare outputs of the same params a prepare job may be offered to reuse. */
const PREPARE_CANDIDATES = 16;

/** Step cache key → the outputs a step produced from exactly those inputs, and which run produced them. */
export class StepCache {
  constructor(
    private readonly db: RegistryDb,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async lookup(key: string): Promise<StepCacheRow | undefined> {
    return this.db.selectFrom('step_cache').selectAll().where('key', '=', key).executeTakeFirst();
  }

  /** The first producer of a key stays its producer: a later run that recomputed the same outputs adds nothing. */
  async put(entry: CacheEntryInput): Promise<void> {
    await this.db
      .insertInto('step_cache')
      .values({
        key: cacheKey(entry.components),
        kind: entry.components.kind,
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

  /** The newest entries with the same kind, code version and params: a prepare step's candidates. */
  async withSameParams(kind: StepKind, params: unknown): Promise<StepCacheRow[]> {
    return this.db
      .selectFrom('step_cache')
      .selectAll()
      .where('params_digest', '=', paramsDigest(kind, params))
      .orderBy('created_at', 'desc')
      .limit(PREPARE_CANDIDATES)
      .execute();
  }
}
