import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import seedrandom from 'seedrandom';

export const NUMERIC_COLUMNS = 17;
export const CATEGORICAL_COLUMNS = 8;
export const LABEL = 'label';

/** What the generated table holds, for the report. */
export const COLUMNS_DESCRIPTION =
  `id (a sequence: dropped), ${NUMERIC_COLUMNS} numeric (3 decimals, 2% "NA" and 1% empty), ${CATEGORICAL_COLUMNS} categorical (3–38 values, 1% "?"), ` +
  'customer (5,000 values: hashed), day (ISO dates over ten years, 1% missing), source (one value: dropped), label (3 classes)';

/**
 * Writes a seeded CSV of `rows` rows and 30 columns, streaming (a bounded buffer), like a real export: numbers with
 * gaps and missing-value tokens, categoricals, a high-cardinality column, a date, an identifier and a constant.
 */
export async function generateCsv(path: string, rows: number, seed: string): Promise<void> {
  const random = seedrandom(seed);
  const out = createWriteStream(path);
  const header = ['id', ...range(NUMERIC_COLUMNS).map((i) => `num_${i + 1}`), ...range(CATEGORICAL_COLUMNS).map((i) => `cat_${i + 1}`), 'customer', 'day', 'source', LABEL];
  let buffer = `${header.join(',')}\n`;
  const firstDay = Date.UTC(2015, 0, 1);
  for (let row = 0; row < rows; row += 1) {
    const cells: (string | number)[] = [row + 1];
    let signal = 0;
    for (let i = 0; i < NUMERIC_COLUMNS; i += 1) {
      const value = random() * 100 - 20 + i;
      if (i < 3) signal += value;
      const gap = random();
      cells.push(gap < 0.02 ? 'NA' : gap < 0.03 ? '' : value.toFixed(3));
    }
    for (let i = 0; i < CATEGORICAL_COLUMNS; i += 1) {
      const category = Math.floor(random() * (3 + i * 5));
      if (i === 0) signal += category * 15;
      cells.push(random() < 0.01 ? '?' : `c${i + 1}_${category}`);
    }
    cells.push(`customer-${Math.floor(random() * 5_000)}`);
    cells.push(random() < 0.01 ? '' : new Date(firstDay + Math.floor(random() * 3_650) * 86_400_000).toISOString().slice(0, 10));
    cells.push('export-v1');
    const noisy = signal + (random() - 0.5) * 60;
    cells.push(noisy < 100 ? 'low' : noisy < 160 ? 'mid' : 'high');
    buffer += `${cells.join(',')}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
