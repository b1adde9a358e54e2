import { ConfigError } from '@slipway/config';
import { RegistryApiError } from '@slipway/registry-client';
import { CliError, EXIT } from './cli.error';

/** The exit code of a command that threw: see {@link EXIT}. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ConfigError) return EXIT.usage;
  if (error instanceof RegistryApiError) {
    if (error.status === undefined) return EXIT.unreachable;
    if (error.status === 401 || error.status === 403) return EXIT.denied;
    // The registry's only 503: its queue (Redis) does not answer.
    if (error.status === 503) return EXIT.queueUnavailable;
    return error.status >= 400 && error.status < 500 ? EXIT.usage : EXIT.runFailed;
  }
  return EXIT.runFailed;
}
