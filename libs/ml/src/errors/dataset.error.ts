import { PermanentMlError } from './permanent-ml.error';

/** The raw data cannot become a supervised data set (missing file, bad CSV, unusable columns). */
export class DatasetError extends PermanentMlError {
  override readonly name = 'DatasetError';
}
