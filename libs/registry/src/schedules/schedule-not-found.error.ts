import { RegistryNotFoundError } from '../errors/registry-not-found.error';

export class ScheduleNotFoundError extends RegistryNotFoundError {
  override readonly name = 'ScheduleNotFoundError';
  constructor(readonly schedule: string) {
    super(`schedule "${schedule}" does not exist`);
  }
}
