import { parseStepJobId, pipelineQueue, type Run } from '@slipway/contracts';
import { QueueEvents, type ConnectionOptions } from 'bullmq';

/**
 * Submits runs and resolves when they have finished, by listening to the pipeline queue: each of its jobs
 * completes after the registry recorded a step's outcome, so the run is read only then — never polled in a loop
 * (which would also load the registry a bench is measuring).
 */
export class RunWaiter {
  private readonly events: QueueEvents;
  private readonly waiting = new Map<string, () => void>();

  constructor(
    private readonly registryUrl: string,
    connection: ConnectionOptions,
    prefix: string,
  ) {
    this.events = new QueueEvents(pipelineQueue.name, { connection, prefix });
    this.events.on('completed', ({ jobId }: { jobId: string }) => {
      const ref = parseStepJobId(jobId);
      if (ref) this.waiting.get(ref.runId)?.();
    });
  }

  ready(): Promise<void> {
    return this.events.waitUntilReady().then(() => undefined);
  }

  async submit(body: unknown): Promise<Run> {
    const answer = await fetch(`${this.registryUrl}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (answer.status !== 201) throw new Error(`POST /api/runs answered ${answer.status}: ${await answer.text()}`);
    return (await answer.json()) as Run;
  }

  /** The run once it succeeded or failed; rejects after `timeoutMs`. */
  finished(runId: string, timeoutMs = 120_000): Promise<Run> {
    return new Promise<Run>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(runId);
        reject(new Error(`run ${runId} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        void this.read(runId).then((run) => {
          if (run.status !== 'succeeded' && run.status !== 'failed') return;
          clearTimeout(timer);
          this.waiting.delete(runId);
          resolve(run);
        }, reject);
      };
      this.waiting.set(runId, check);
      check();
    });
  }

  close(): Promise<void> {
    return this.events.close();
  }

  private async read(runId: string): Promise<Run> {
    return (await (await fetch(`${this.registryUrl}/api/runs/${runId}`)).json()) as Run;
  }
}
