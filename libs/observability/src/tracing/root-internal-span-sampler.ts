import { SpanKind, type Context } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-node';

/**
 * Keeps every span that starts a trace except INTERNAL ones. An idle BullMQ worker starts a root INTERNAL span for
 * each empty poll (`getNextJob`, every few seconds per queue) and for its stalled-job checks; exported, they would
 * bury the traces of requests and jobs. Spans inside a trace (children) follow their parent, through ParentBasedSampler.
 */
export class RootInternalSpanSampler implements Sampler {
  shouldSample(_context: Context, _traceId: string, _spanName: string, spanKind: SpanKind): SamplingResult {
    return { decision: spanKind === SpanKind.INTERNAL ? SamplingDecision.NOT_RECORD : SamplingDecision.RECORD_AND_SAMPLED };
  }

  toString(): string {
    return 'RootInternalSpanSampler';
  }
}
