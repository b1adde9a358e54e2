import type { Run } from '@slipway/contracts';
import type { RegistryClient } from '@slipway/registry-client';
import { CliError, EXIT } from './cli.error';
import { printJson } from './registry-option';
import { formatRunDetails } from './run-format';
import { RunProgressDisplay } from './run-progress';
import { watchRun } from './run-watcher';

export interface FollowOptions {
  /** Print the run as JSON (the finished run, or the started one with `detach`) instead of the step tree. */
  json?: boolean;
  /** Return at once instead of following the run. */
  detach?: boolean;
}

/**
 * Reports a submitted or resumed run and, unless detached, shows its progress until it finishes.
 * @throws CliError with exit code {@link EXIT.runFailed} when the run fails.
 */
export async function followRun(client: RegistryClient, started: Run, verb: 'submitted' | 'resumed', options: FollowOptions): Promise<Run> {
  if (options.detach) {
    if (options.json) printJson(started);
    else console.log(`${verb} run ${started.id}`);
    return started;
  }
  if (!options.json) console.log(`run ${started.id} ${verb}`);
  const display = new RunProgressDisplay();
  const finished = await watchRun(client, started.id, (run) => {
    if (!options.json) display.update(run);
  });
  if (options.json) printJson(finished);
  else console.log(formatRunDetails(finished));
  if (finished.status === 'failed') {
    throw new CliError(`run ${finished.id} failed: ${finished.error ?? 'no reason recorded'} (\`slipway runs resume ${finished.id}\` retries its failed steps)`, EXIT.runFailed);
  }
  return finished;
}
