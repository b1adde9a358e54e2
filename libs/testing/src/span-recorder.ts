import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';

interface Waiter {
  find: () => boolean;
}

/**
 * An in-memory span exporter a test can wait on: spans end a moment after the answer or event the test awaited
 * (an HTTP span when the response has finished, a job span after its completion was recorded), so reading the
 * spans at once would race. Pass it to startTracing with `export: 'each'`.
 */
export class SpanRecorder extends InMemorySpanExporter {
  private waiters: Waiter[] = [];

  override export(spans: ReadableSpan[], resultCallback: Parameters<InMemorySpanExporter['export']>[1]): void {
    super.export(spans, resultCallback);
    this.waiters = this.waiters.filter((waiter) => !waiter.find());
  }

  /** Resolves with the first value `pick` returns for the finished spans, now or as spans end; rejects after `timeoutMs` naming what it waited for. */
  waitFor<T>(description: string, pick: (spans: ReadableSpan[]) => T | undefined, timeoutMs = 10_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        const seen = this.getFinishedSpans().map((span) => span.name).join(', ') || 'none';
        reject(new Error(`no span ${description} within ${timeoutMs} ms (spans seen: ${seen})`));
      }, timeoutMs);
      const waiter: Waiter = {
        find: () => {
          const value = pick(this.getFinishedSpans());
          if (value === undefined) return false;
          clearTimeout(timer);
          resolve(value);
          return true;
        },
      };
      if (!waiter.find()) this.waiters.push(waiter);
    });
  }
}
