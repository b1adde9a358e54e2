/** The MLServer comparison could not be set up, or the two servers disagree: there are no figures to compare. */
export class MlserverBenchError extends Error {
  override readonly name = 'MlserverBenchError';
}
