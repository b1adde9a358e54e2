import type { RequestOutcome } from '@slipway/inference';
import { activeSpan } from '@slipway/observability';

/**
 * Makes the request's HTTP span the one span of an inference: named `infer <model>`, with the model, the version
 * that answered and the request's rows, so this hot path starts no span of its own. Tracing off: activeSpan() is
 * a single check and returns nothing.
 */
export function annotateInferenceSpan(outcome: Pick<RequestOutcome, 'model' | 'version' | 'rows' | 'ok'>): void {
  const span = activeSpan();
  if (!span) return;
  span.updateName(`infer ${outcome.model}`);
  span.setAttributes({
    'slipway.model': outcome.model,
    'slipway.model.version': outcome.version,
    // A failed request reports no rows: its size is unknown, not zero.
    ...(outcome.ok ? { 'slipway.inference.batch_size': outcome.rows } : {}),
  });
}
