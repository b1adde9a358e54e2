export class ScheduleAlreadyExistsError extends Error {
  override readonly name = 'ScheduleAlreadyExistsError';
  constructor(readonly schedule: string) {
    super(`schedule "${schedule}" already exists; delete it first to define it anew`);
  }
}
