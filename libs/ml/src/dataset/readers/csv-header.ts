import { DatasetError } from '../../errors/dataset.error';

/** @throws DatasetError naming the file for a blank or repeated header name. */
export function checkCsvHeader(header: string[], file: string): string[] {
  const blank = header.findIndex((name) => name === '');
  if (blank >= 0) throw new DatasetError(`${file}, line 1: header column ${blank + 1} has no name`);
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new DatasetError(`${file}, line 1: column "${name}" appears twice in the header`);
    seen.add(name);
  }
  return header;
}
