import { CleanupStack } from './cleanup-stack';

/** What a bench's body gets: undo steps that run whatever happens, and whether the run failed (to keep its logs). */
export interface BenchRun {
  readonly cleanups: CleanupStack;
  readonly failed: boolean;
}

/**
 * Runs a bench's body, then every cleanup step, on success, on failure and on SIGINT/SIGTERM (exit 130), so no
 * process of the bench outlives it. A failure is printed and exits 1.
 */
export function runBench(body: (run: BenchRun) => Promise<void>): void {
  const run = { cleanups: new CleanupStack(), failed: false };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal}: stopping every process the bench started`);
    void run.cleanups.runAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const main = async () => {
    try {
      await body(run);
    } catch (error) {
      run.failed = true;
      throw error;
    } finally {
      await run.cleanups.runAll();
    }
  };
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
