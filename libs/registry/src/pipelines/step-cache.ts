import type { CacheKeyComponents, StepKind } from '@slipway/contracts';
import type { KindedOutput, StepOutput } from '../runs/step-outputs';

interface CacheEntryFields {
  key: string;
  pipelineName: string;
  /** The pipeline step's name. */
  step: string;
  runId: string;
  /** The run's step that produced the output (a grid training's own name). */
  runStep: string;
  components: CacheKeyComponents;
  createdAt: string;
}

/** Outputs a step produced from exactly the inputs its key digests, and which run produced them. */
export type CacheEntry = CacheEntryFields & KindedOutput;
export type CacheEntryOf<K extends StepKind> = CacheEntryFields & { kind: K; output: StepOutput<K> };

export type NewCacheEntry = Omit<CacheEntryFields, 'key' | 'createdAt'> & KindedOutput;

/** Step cache key → the outputs a step produced from exactly those inputs; keys come from {@link cacheKey}. */
export interface StepCacheStore {
  lookup(key: string): Promise<CacheEntry | undefined>;
  /** The first producer of a key stays its producer: a later run that recomputed the same outputs adds nothing. */
  put(entry: NewCacheEntry): Promise<void>;
  /** The newest entries (at most 16) with the same kind, code version and params: a prepare step's candidates. */
  withSameParams<K extends StepKind>(kind: K, params: unknown): Promise<CacheEntryOf<K>[]>;
  /** The most recent entry of the pipeline step from another run: what a miss is compared with. */
  nearest(pipelineName: string, step: string, otherThanRun: string): Promise<CacheEntry | undefined>;
}

/** How many earlier prepare outputs of the same params a prepare job may be offered to reuse. */
export const PREPARE_CANDIDATES = 16;
