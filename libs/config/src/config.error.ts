/** Every bad variable of a service, reported at once so a deploy is fixed in one go. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}: invalid configuration — ${problems.join('; ')}`);
  }
}
