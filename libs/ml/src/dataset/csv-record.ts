/** One CSV data row, keyed by header name; values are trimmed strings. */
export type CsvRecord = Record<string, string>;
