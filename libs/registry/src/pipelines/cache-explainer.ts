import type { CacheExplanation, CacheKeyComponents } from '@slipway/contracts';
import { flattenLeaves } from '../runs/pipeline-params';
import type { RunRecord, StepRecord } from '../runs/run-entities';
import type { RunService } from '../runs/run.service';
import { cacheKey } from './cache-key';
import { UnknownStepError } from './pipeline-errors';
import { componentsOf, pipelineStepOf, sourcesOf } from './pipeline-steps';
import type { StepCacheStore } from './step-cache';
import { CACHEABLE_KINDS } from './step-code-versions';

interface Difference {
  part: string;
  was: unknown;
  now: unknown;
}

/** Answers "why did this step hit or miss the cache?" from the key's parts and the nearest earlier entry. */
export class CacheExplainer {
  constructor(
    private readonly runs: RunService,
    private readonly cache: StepCacheStore,
  ) {}

  /** @throws RunNotFoundError, UnknownStepError */
  async explain(runId: string, stepName: string): Promise<CacheExplanation> {
    const run = await this.runs.record(runId);
    const step = run.steps.find((s) => s.name === stepName);
    if (!step) throw new UnknownStepError(`run "${runId}"`, stepName);
    const spec = pipelineStepOf(run.pipeline, step);
    const cacheable = CACHEABLE_KINDS.includes(step.kind);
    const base = { runId, step: step.name, kind: step.kind, status: step.status, cacheable };

    const { noCache } = run;
    const bypassed = !cacheable
      ? `${step.kind} steps change state others may have changed since, so they always run`
      : !spec.cache
        ? 'the step sets cache: false'
        : noCache === true
          ? 'the run was submitted with --no-cache'
          : Array.isArray(noCache) && noCache.includes(spec.name)
            ? `the run was submitted with --no-cache ${spec.name}`
            : null;

    const components = step.cache.components ?? componentsIfReady(run, step);
    const key = components === null ? null : cacheKey(components);
    const cachedFrom = step.status === 'cached' ? step.cache.cachedFrom : null;
    const hit = cachedFrom === null ? null : { ...cachedFrom, at: (key === null ? undefined : (await this.cache.lookup(key))?.createdAt) ?? step.finishedAt ?? '' };
    const nearest = hit !== null || components === null || !cacheable ? null : await this.nearest(run, step, components);
    return { ...base, bypassed, key, components, hit, nearest, summary: summarize(step, bypassed, components, hit, nearest) };
  }

  private async nearest(run: RunRecord, step: StepRecord, components: CacheKeyComponents): Promise<CacheExplanation['nearest']> {
    const entry = await this.cache.nearest(run.pipelineName, step.step, run.id);
    if (!entry) return null;
    return { runId: entry.runId, step: entry.runStep, key: entry.key, differences: differencesBetween(entry.components, components) };
  }
}

/** The key parts of a step not looked up yet, once its inputs are ready; a prepare step's key needs its source's digest, which only its job computes. */
function componentsIfReady(run: RunRecord, step: StepRecord): CacheKeyComponents | null {
  if (step.kind === 'prepare') return null;
  const spec = pipelineStepOf(run.pipeline, step);
  const sources = sourcesOf(run, spec);
  if (!sources.every((s) => s.output !== null)) return null;
  return componentsOf(step, spec, sources);
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
  step: StepRecord,
  bypassed: string | null,
  components: CacheKeyComponents | null,
  hit: CacheExplanation['hit'],
  nearest: CacheExplanation['nearest'],
): string {
  if (hit) return `hit: reused the outputs step "${hit.step}" of run ${hit.runId} produced from identical inputs`;
  if (bypassed) return `not looked up: ${bypassed}`;
  if (components === null) return step.kind === 'prepare' ? 'no key yet: the source is hashed when the step runs' : 'no key yet: its inputs are not ready';
  if (nearest === null) return 'miss: no earlier run of this pipeline step is in the cache';
  if (nearest.differences.length === 0) return `miss: the key matches run ${nearest.runId}'s, whose entry was written after this step looked`;
  const parts = nearest.differences.map((d) => d.part).join(', ');
  return `miss: compared with run ${nearest.runId}, ${parts} ${nearest.differences.length === 1 ? 'differs' : 'differ'}`;
}
