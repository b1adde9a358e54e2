import { formatDuration, formatTable } from './run-format';

describe('formatTable', () => {
  const header = ['RUN', 'PIPELINE', 'STATUS'];
  const rows = [
    ['run-a-very-long-identifier', 'iris', 'succeeded'],
    ['run-2', 'penguins-with-a-long-name', 'failed'],
  ];

  /** Where each cell starts in its line, found by searching after the previous cell. */
  function cellOffsets(line: string, cells: string[]): number[] {
    let from = 0;
    return cells.map((cell) => {
      const at = line.indexOf(cell, from);
      from = at + cell.length;
      return at;
    });
  }

  it('puts the header first and one line per row', () => {
    const lines = formatTable(header, rows).split('\n');
    expect(lines).toHaveLength(rows.length + 1);
    expect(cellOffsets(lines[0] ?? '', header).every((offset) => offset >= 0)).toBe(true);
  });

  it('starts every column at the same offset in every line, whichever cell is widest', () => {
    const lines = formatTable(header, rows).split('\n');
    const offsets = [header, ...rows].map((cells, index) => cellOffsets(lines[index] ?? '', cells));
    for (const lineOffsets of offsets) expect(lineOffsets).toEqual(offsets[0]);
  });

  it('separates columns by at least one space even when a cell fills its column', () => {
    const lines = formatTable(header, rows).split('\n');
    [header, ...rows].forEach((cells, index) => {
      const offsets = cellOffsets(lines[index] ?? '', cells);
      cells.slice(0, -1).forEach((cell, column) => expect(offsets[column + 1]).toBeGreaterThan((offsets[column] ?? 0) + cell.length));
    });
  });

  it('leaves no trailing spaces', () => {
    for (const line of formatTable(header, [['x', 'y', '']]).split('\n')) expect(line).toBe(line.trimEnd());
  });

  it('prints only the header when there are no rows', () => {
    expect(formatTable(header, []).split('\n')).toHaveLength(1);
  });
});

describe('formatDuration', () => {
  it('shows a missing duration as a placeholder without digits', () => {
    const text = formatDuration(null);
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/\d/);
  });

  it('shows sub-second durations in whole milliseconds', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(250.4)).toBe('250 ms');
    expect(formatDuration(999)).toBe('999 ms');
  });

  it('shows longer durations in seconds with one decimal', () => {
    expect(formatDuration(1_000)).toBe('1.0 s');
    expect(formatDuration(1_540)).toBe('1.5 s');
    expect(formatDuration(75_000)).toBe('75.0 s');
  });

  it('never shows a duration that rounds up to a second as "1000 ms"', () => {
    expect(formatDuration(999.7)).toBe('1.0 s');
  });
});
