import type { DatasetFormat } from '@slipway/contracts';

const BY_EXTENSION: Record<string, DatasetFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.parquet': 'parquet' };

/** The format a source names, else the one its extension says, else CSV. */
export function sourceFormat(format: DatasetFormat | undefined, name: string): DatasetFormat {
  if (format) return format;
  const extension = /\.[a-z]+$/i.exec(name)?.[0].toLowerCase();
  return (extension && BY_EXTENSION[extension]) || 'csv';
}
