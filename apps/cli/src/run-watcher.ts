import type { Run } from '@slipway/contracts';
import type { RegistryClient } from '@slipway/registry-client';

const POLL_MS = 500;

/** Follows a run through the registry API until it succeeds or fails, reporting each new state. */
export async function watchRun(client: RegistryClient, runId: string, onUpdate: (run: Run) => void): Promise<Run> {
  let lastSeen = '';
  for (;;) {
    const run = await client.getRun(runId);
    const fingerprint = JSON.stringify([run.status, run.steps, run.epochs.length]);
    if (fingerprint !== lastSeen) {
      lastSeen = fingerprint;
      onUpdate(run);
    }
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
