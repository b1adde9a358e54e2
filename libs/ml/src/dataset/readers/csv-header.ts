import { DatasetError } from '../../errors/dataset.error';

/**
 * The name given to a first header column with no name: R's `write.csv` and pandas' `to_csv` write their row names
 * (or index) there. It is kept as a column, so inference can drop it as the identifier it usually is.
 */
export const ROW_NAMES_COLUMN = '(row names)';

/** @throws DatasetError naming the file for a blank (other than the first) or repeated header name. */
export function checkCsvHeader(header: string[], file: string): string[] {
  const names = header[0] === '' ? [ROW_NAMES_COLUMN, ...header.slice(1)] : header;
  const blank = names.findIndex((name) => name === '');
  if (blank >= 0) throw new DatasetError(`${file}, line 1: header column ${blank + 1} has no name`);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new DatasetError(`${file}, line 1: column "${name}" appears twice in the header`);
    seen.add(name);
  }
  return names;
}
