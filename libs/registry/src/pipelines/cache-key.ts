import type { CacheKeyComponents, StepKind } from '@slipway/contracts';
import { canonicalJson, sha256 } from '../runs/content-digest';
import { STEP_CODE_VERSIONS } from './step-code-versions';

export function cacheKeyComponents(kind: StepKind, params: unknown, inputs: Record<string, string>): CacheKeyComponents {
  return { kind, codeVersion: STEP_CODE_VERSIONS[kind], params, inputs };
}

export function cacheKey(components: CacheKeyComponents): string {
  return sha256(canonicalJson(components));
}

/** Kind, code version and params without the inputs: how a prepare step finds candidates before its source is hashed. */
export function paramsDigest(kind: StepKind, params: unknown): string {
  return sha256(canonicalJson({ kind, codeVersion: STEP_CODE_VERSIONS[kind], params }));
}
