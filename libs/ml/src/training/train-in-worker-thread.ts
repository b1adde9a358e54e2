import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TrainedModel, TrainingProgress } from '@slipway/contracts';
import { rehydrateError } from './serialized-error';
import type { TrainingWorkerData, TrainingWorkerMessage } from './training-worker-protocol';

export type TrainInWorkerRequest = TrainingWorkerData;

export interface TrainInWorkerOptions {
  /** Aborting terminates the worker thread; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

type Outcome = { ok: true; result: TrainedModel } | { ok: false; error: unknown };

/**
 * The worker runs the sibling entry file. From TypeScript sources (dev, tests, benchmarks) that is the .ts file,
 * compiled on load by @swc-node/register with this lib's tsconfig (for the @slipway/* path aliases).
 */
const workerEntry = ((): { file: string; options: { execArgv?: string[]; env?: NodeJS.ProcessEnv } } => {
  const extension = extname(__filename);
  const file = join(__dirname, `training.worker${extension}`);
  if (extension !== '.ts') return { file, options: {} };
  return {
    file,
    options: {
      execArgv: ['-r', '@swc-node/register'],
      // The worker inherits the environment anyway; this only adds where the TS config is.
      env: { ...process.env, SWC_NODE_PROJECT: resolve(__dirname, '../../tsconfig.json') },
    },
  };
})();

/**
 * Runs trainModel in a worker thread so the caller's event loop stays free (a BullMQ worker keeps renewing
 * its job lock). Progress arrives through `onEpoch`; errors come back as their own class (DatasetError,
 * ModelSpecError, ...) so the caller can tell a bad input from a crash. Settles once the thread has exited.
 */
export function trainInWorkerThread(
  request: TrainInWorkerRequest,
  onEpoch?: (progress: TrainingProgress) => void,
  options: TrainInWorkerOptions = {},
): Promise<TrainedModel> {
  const { signal } = options;
  return new Promise<TrainedModel>((settleResult, settleError) => {
    if (signal?.aborted) {
      settleError(signal.reason);
      return;
    }
    const worker = new Worker(workerEntry.file, { workerData: request, ...workerEntry.options });
    let outcome: Outcome | undefined;
    const stop = (error: unknown): void => {
      outcome ??= { ok: false, error };
      void worker.terminate();
    };
    const onAbort = (): void => stop(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (message: TrainingWorkerMessage) => {
      switch (message.type) {
        case 'progress':
          try {
            onEpoch?.(message.progress);
          } catch (error) {
            stop(error);
          }
          break;
        case 'result':
          outcome ??= { ok: true, result: message.result };
          break;
        case 'error':
          outcome ??= { ok: false, error: rehydrateError(message.error) };
          break;
      }
    });
    worker.on('error', (error) => {
      outcome ??= { ok: false, error };
    });
    worker.on('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (outcome?.ok) settleResult(outcome.result);
      else if (outcome) settleError(outcome.error);
      else settleError(new Error(`training worker thread exited with code ${code} before reporting a result`));
    });
  });
}
