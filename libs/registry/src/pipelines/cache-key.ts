import { createHash } from 'node:crypto';
import type { StepKind } from '@slipway/contracts';
import { STEP_CODE_VERSIONS } from './step-code-versions';

/** What a step's cache key is made of: kind, code version, resolved params, and its inputs' content digests. */
export interface CacheKeyComponents {
  kind: StepKind;
  codeVersion: string;
  params: unknown;
  /** Input name → content digest (several inputs of one name are listed as `models.0`, `models.1`, ...). */
  inputs: Record<string, string>;
}

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

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
