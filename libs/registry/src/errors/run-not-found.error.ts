import { RegistryNotFoundError } from './registry-not-found.error';

export class RunNotFoundError extends RegistryNotFoundError {
  override readonly name = 'RunNotFoundError';
  constructor(readonly runId: string) {
    super(`run "${runId}" does not exist`);
  }
}
