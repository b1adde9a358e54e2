import { DatasetError } from '../../errors/dataset.error';
import { parseCanonicalDecimal } from '../values/canonical-decimal';
import { parseDecimal } from '../values/parse-decimal';
import { ChunkedArray } from './chunked-array';
import type { TableColumn } from './table';

/** How a column is stored while reading: as numbers until a value is not one (`auto`), or as the pipeline says. */
export type ColumnStorage = 'auto' | 'numeric' | 'text';

/**
 * A column read as numbers met text, and some numbers before it were spelled otherwise than String(number) spells
 * them ("5.0", "007"), so their text cannot be recovered: the reader starts again with the column read as text.
 */
export class ColumnSpellingLost extends Error {
  override readonly name = 'ColumnSpellingLost';
  constructor(readonly column: string) {
    super(`column "${column}" must be read as text from the start`);
  }
}

/**
 * Collects one column's values as they are read: numbers into a Float64Array while every value is a decimal, text
 * as dictionary codes. Missing-value tokens are missing in either, never a value.
 */
export class ColumnBuilder {
  private numbers: ChunkedArray<Float64Array> | undefined;
  private codes: ChunkedArray<Int32Array> | undefined;
  private readonly dictionary: string[] = [];
  private readonly codeOf = new Map<string, number>();
  private canonical = true;
  private missing = 0;

  constructor(
    readonly name: string,
    private readonly storage: ColumnStorage,
    private readonly missingValues: ReadonlySet<string>,
    /** Names the source in errors. */
    private readonly source: string,
  ) {
    if (storage === 'text') this.codes = new ChunkedArray((length) => new Int32Array(length));
    else this.numbers = new ChunkedArray((length) => new Float64Array(length));
  }

  get length(): number {
    return (this.numbers ?? this.codes)?.length ?? 0;
  }

  /** A cell as text, already trimmed. */
  pushText(text: string): void {
    if (this.missingValues.has(text)) return this.pushMissing();
    if (this.numbers) {
      let value = parseCanonicalDecimal(text);
      if (value === undefined) {
        value = parseDecimal(text);
        if (value !== undefined) this.canonical = false;
      }
      if (value !== undefined) return this.numbers.push(value);
      if (this.storage === 'numeric') {
        throw new DatasetError(`${this.source}: column "${this.name}" is set as numeric (columns.numeric) but holds "${text}" in data row ${this.length + 1}`);
      }
      this.switchToText();
    }
    this.pushCode(text);
  }

  /**
   * A value a double cannot hold exactly (a Parquet INT64 beyond 2^53): text, unless the pipeline set the column as
   * numeric, which takes the nearest double.
   */
  pushUnrepresentableNumber(text: string): void {
    if (this.numbers && this.storage === 'numeric') return this.numbers.push(Number(text));
    if (this.numbers) this.switchToText();
    this.pushCode(text);
  }

  /** A value that arrived as a number (JSON, Parquet); NaN is missing. */
  pushNumber(value: number): void {
    if (Number.isNaN(value)) return this.pushMissing();
    if (!Number.isFinite(value)) throw new DatasetError(`${this.source}: column "${this.name}" holds ${value} in data row ${this.length + 1}; expected a finite number`);
    if (this.numbers) this.numbers.push(value);
    else this.pushCode(String(value));
  }

  pushMissing(): void {
    this.missing += 1;
    if (this.numbers) this.numbers.push(Number.NaN);
    else this.codes?.push(-1);
  }

  finish(): TableColumn {
    if (this.numbers) {
      return { storage: 'numeric', name: this.name, values: this.numbers.toArray(), missing: this.missing, canonicalSpelling: this.canonical };
    }
    const codes = this.codes?.toArray() ?? new Int32Array(0);
    return { storage: 'text', name: this.name, codes, dictionary: this.dictionary, missing: this.missing };
  }

  private pushCode(text: string): void {
    let code = this.codeOf.get(text);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(text);
      this.codeOf.set(text, code);
    }
    this.codes?.push(code);
  }

  /** The numbers so far become text: exact, because every one was spelled as String(number) spells it. */
  private switchToText(): void {
    if (!this.canonical) throw new ColumnSpellingLost(this.name);
    const numbers = this.numbers?.toArray() ?? new Float64Array(0);
    this.numbers = undefined;
    this.codes = new ChunkedArray((length) => new Int32Array(length));
    for (const value of numbers) {
      if (Number.isNaN(value)) this.codes.push(-1);
      else this.pushCode(String(value));
    }
  }
}
