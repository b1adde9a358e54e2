/** A column read as numbers: every value it holds parsed as a decimal. NaN marks a missing value. */
export interface NumericColumn {
  readonly storage: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
  readonly missing: number;
  /** Whether every value was spelled as String(value) spells it, so the numbers give back the exact text read. */
  readonly canonicalSpelling: boolean;
}

/** A column read as text: each row a code into the dictionary of distinct values, -1 where the value is missing. */
export interface TextColumn {
  readonly storage: 'text';
  readonly name: string;
  readonly codes: Int32Array;
  /** Distinct values in order of first appearance. */
  readonly dictionary: readonly string[];
  readonly missing: number;
}

export type TableColumn = NumericColumn | TextColumn;

/** A data set held by column: no object per row, so a million rows cost a few typed arrays. */
export interface Table {
  /** Names the source in errors. */
  readonly source: string;
  readonly rowCount: number;
  readonly columns: readonly TableColumn[];
}

/** Row `row` of a column as the encoder reads it: a number, a string, or undefined where missing. */
export function valueReader(column: TableColumn): (row: number) => number | string | undefined {
  if (column.storage === 'numeric') {
    const { values } = column;
    return (row) => (Number.isNaN(values[row]) ? undefined : values[row]);
  }
  const { codes, dictionary } = column;
  return (row) => (codes[row] < 0 ? undefined : dictionary[codes[row]]);
}
