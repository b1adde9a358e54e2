import { ColumnBuilder, type ColumnStorage } from './column-builder';
import type { Table } from './table';

export interface TableReadOptions {
  /** Cells that mean "no value", matched after trimming. */
  missingValues: ReadonlySet<string>;
  /** How to store a column while reading, by name. */
  storageOf: (column: string) => ColumnStorage;
}

/** Builds a table column by column as a reader meets values; a column first met at row r has r missing values before. */
export class TableBuilder {
  private readonly builders = new Map<string, ColumnBuilder>();
  private rows = 0;

  constructor(
    private readonly source: string,
    private readonly options: TableReadOptions,
  ) {}

  get rowCount(): number {
    return this.rows;
  }

  /** The builder of a column, created on first use. */
  column(name: string): ColumnBuilder {
    let builder = this.builders.get(name);
    if (builder === undefined) {
      builder = new ColumnBuilder(name, this.options.storageOf(name), this.options.missingValues, this.source);
      for (let row = 0; row < this.rows; row += 1) builder.pushMissing();
      this.builders.set(name, builder);
    }
    return builder;
  }

  /** Ends the rows up to `rowCount`: a column that got no value in them is missing there. */
  advanceTo(rowCount: number): void {
    this.rows = rowCount;
    for (const builder of this.builders.values()) {
      while (builder.length < rowCount) builder.pushMissing();
    }
  }

  finish(): Table {
    return { source: this.source, rowCount: this.rows, columns: [...this.builders.values()].map((builder) => builder.finish()) };
  }
}
