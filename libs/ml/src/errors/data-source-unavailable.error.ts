/**
 * A remote data source did not answer in time, failed on its side (HTTP 5xx, 408, 429) or could not be reached.
 * Deliberately not a PermanentMlError: the same job may succeed later, so workers retry it with backoff.
 */
export class DataSourceUnavailableError extends Error {
  override readonly name = 'DataSourceUnavailableError';
}
