import { noCacheSchema, recordedPipelineSchema, stepInputs, type CacheExplanation } from '@slipway/contracts';
import { readJsonColumn } from '../database/json-column';
import type { RegistryDb, RunStepRow } from '../database/registry-database.types';
import type { RunService } from '../runs/run.service';
import { flattenLeaves } from '../tracking/pipeline-params';
import { cacheKey, type CacheKeyComponents } from './cache-key';
import { componentsOf } from './pipeline-engine';
import { UnknownStepError } from './pipeline-errors';
import { CACHEABLE_KINDS } from './step-code-versions';

interface Difference {
  part: string;
  was: unknown;
  now: unknown;
}

/** Answers "why did this step hit or miss the cache?" from the key's parts and the nearest earlier entry. */
export class CacheExplainer {
  constructor(
    private readonly db: RegistryDb,
    private readonly runs: RunService,
  ) {}

  async explain(runId: string, stepName: string): Promise<CacheExplanation> {
    const run = await this.runs.loadRunRow(runId);
    const rows = await this.runs.loadSteps(runId);
    const row = rows.find((r) => r.name === stepName);
    if (!row) throw new UnknownStepError(`run "${runId}"`, stepName);
    const pipeline = readJsonColumn(recordedPipelineSchema, run.pipeline_json, `runs.pipeline_json of run "${runId}"`);
    const spec = pipeline.steps.find((s) => s.name === row.step);
    if (!spec) throw new UnknownStepError(`pipeline "${pipeline.name}"`, row.step);
    const base = { runId, step: row.name, kind: row.kind, status: row.status, cacheable: CACHEABLE_KINDS.includes(row.kind) };

    const noCache = noCacheSchema.parse(JSON.parse(run.no_cache_json));
    const bypassed = !base.cacheable
      ? `${row.kind} steps change state others may have changed since, so they always run`
      : !spec.cache
        ? 'the step sets cache: false'
        : noCache === true
          ? 'the run was submitted with --no-cache'
          : Array.isArray(noCache) && noCache.includes(spec.name)
            ? `the run was submitted with --no-cache ${spec.name}`
            : null;

    const components = row.cache_components_json !== null ? (JSON.parse(row.cache_components_json) as CacheKeyComponents) : this.componentsIfReady(row, spec, rows);
    const key = components === null ? null : cacheKey(components);
    const hit =
      row.status === 'cached' && row.cached_from_run !== null && row.cached_from_step !== null
        ? { runId: row.cached_from_run, step: row.cached_from_step, at: (await this.entryAt(key)) ?? row.finished_at ?? '' }
        : null;
    const nearest = hit !== null || components === null || !base.cacheable ? null : await this.nearest(pipeline.name, row.step, runId, components);
    return { ...base, bypassed, key, components, hit, nearest, summary: summarize(row, bypassed, components, hit, nearest) };
  }

  private componentsIfReady(row: RunStepRow, spec: Parameters<typeof componentsOf>[1], rows: readonly RunStepRow[]): CacheKeyComponents | null {
    // A prepare step's key needs its source's digest, which only its job computes.
    if (row.kind === 'prepare') return null;
    const sources = stepInputs(spec).flatMap(({ from }) => rows.filter((r) => r.step === from));
    if (!sources.every((s) => s.output_json !== null)) return null;
    return componentsOf(row, spec, sources);
  }

  private async entryAt(key: string | null): Promise<string | undefined> {
    if (key === null) return undefined;
    const entry = await this.db.selectFrom('step_cache').select('created_at').where('key', '=', key).executeTakeFirst();
    return entry?.created_at;
  }

  private async nearest(pipelineName: string, step: string, runId: string, components: CacheKeyComponents): Promise<CacheExplanation['nearest']> {
    const entry = await this.db
      .selectFrom('step_cache')
      .selectAll()
      .where('pipeline_name', '=', pipelineName)
      .where('step', '=', step)
      .where('run_id', '!=', runId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!entry) return null;
    const earlier = JSON.parse(entry.components_json) as CacheKeyComponents;
    return { runId: entry.run_id, step: entry.run_step, key: entry.key, differences: differencesBetween(earlier, components) };
  }
}

function differencesBetween(was: CacheKeyComponents, now: CacheKeyComponents): Difference[] {
  const differences: Difference[] = [];
  if (was.codeVersion !== now.codeVersion) differences.push({ part: 'codeVersion', was: was.codeVersion, now: now.codeVersion });
  for (const [part, [before, after]] of Object.entries(leafPairs(flattenLeaves(was.params), flattenLeaves(now.params)))) {
    if (before !== after) differences.push({ part: `params.${part}`, was: before ?? null, now: after ?? null });
  }
  for (const [part, [before, after]] of Object.entries(leafPairs(was.inputs, now.inputs))) {
    if (before !== after) differences.push({ part: `inputs.${part}`, was: before ?? null, now: after ?? null });
  }
  return differences;
}

function leafPairs(was: Record<string, string>, now: Record<string, string>): Record<string, [string | undefined, string | undefined]> {
  const pairs: Record<string, [string | undefined, string | undefined]> = {};
  for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) pairs[key] = [was[key], now[key]];
  return pairs;
}

function summarize(
  row: RunStepRow,
  bypassed: string | null,
  components: CacheKeyComponents | null,
  hit: CacheExplanation['hit'],
  nearest: CacheExplanation['nearest'],
): string {
  if (hit) return `hit: reused the outputs step "${hit.step}" of run ${hit.runId} produced from identical inputs`;
  if (bypassed) return `not looked up: ${bypassed}`;
  if (components === null) return row.kind === 'prepare' ? 'no key yet: the source is hashed when the step runs' : 'no key yet: its inputs are not ready';
  if (nearest === null) return 'miss: no earlier run of this pipeline step is in the cache';
  if (nearest.differences.length === 0) return `miss: the key matches run ${nearest.runId}'s, whose entry was written after this step looked`;
  const parts = nearest.differences.map((d) => d.part).join(', ');
  return `miss: compared with run ${nearest.runId}, ${parts} ${nearest.differences.length === 1 ? 'differs' : 'differ'}`;
}
