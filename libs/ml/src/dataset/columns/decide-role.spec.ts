import type { DatasetSourceInput } from '@slipway/contracts';
import { csvOf, tableFromCsv } from '../../testing/table-from-csv';
import { profileColumn } from './column-profile';
import { pipelineRoles } from './column-roles';
import { decideRole } from './decide-role';

const ROWS = 40;
const label = Array.from({ length: ROWS }, (_, row) => ['a', 'b'][row % 2]);

async function decide(cells: readonly (string | number)[], overrides: Partial<DatasetSourceInput> = {}) {
  const { table, source } = await tableFromCsv(csvOf({ column: cells, label: label.slice(0, cells.length) }), overrides);
  const column = table.columns[0];
  const profile = profileColumn(column);
  return { profile, decision: decideRole(column, profile, pipelineRoles(source).roleOf(column.name), table.source) };
}

const rows = (cell: (row: number) => string | number) => Array.from({ length: ROWS }, (_, row) => cell(row));

describe('decideRole: inference', () => {
  it('infers numbers as numeric, even with missing-value tokens among them', async () => {
    const { decision, profile } = await decide(rows((row) => (row % 5 === 0 ? 'NA' : row % 9)));
    expect(decision).toMatchObject({ role: 'numeric', origin: 'inferred' });
    expect(profile).toMatchObject({ missing: 8, distinct: 9 });
  });

  it('infers ISO-like dates as dates, but not plain numbers or years alone', async () => {
    expect((await decide(rows((row) => `2012-01-${String(1 + (row % 28)).padStart(2, '0')}`))).decision.role).toBe('date');
    expect((await decide(rows((row) => `2012/1/${1 + (row % 28)}`))).decision.role).toBe('date');
    expect((await decide(rows((row) => 2000 + (row % 12)))).decision.role).toBe('numeric');
    expect((await decide(rows((row) => (row === 3 ? 'soon' : `2012-01-0${1 + (row % 9)}`)))).decision.role).toBe('categorical');
  });

  it('drops integers in sequence as an identifier, whatever their order', async () => {
    const ids = rows((row) => 1000 + ((row * 7) % ROWS));
    expect((await decide(ids)).decision).toEqual({ role: 'dropped', origin: 'inferred', reason: 'every value is distinct (an identifier: the integers 1000…1039 in sequence)', warnings: [] });
  });

  it('keeps distinct numbers that are not a sequence of integers (measurements)', async () => {
    expect((await decide(rows((row) => row * 3))).decision.role).toBe('numeric');
    expect((await decide(rows((row) => row + 0.5))).decision.role).toBe('numeric');
  });

  it('drops text whose every value differs as an identifier, once there are enough values to tell', async () => {
    expect((await decide(rows((row) => `N${row}A1`))).decision).toMatchObject({ role: 'dropped', reason: 'every value is distinct (an identifier)' });
    expect((await decide(rows((row) => `N${row}A1`).slice(0, 10))).decision.role).toBe('categorical');
  });

  it('drops text where most values differ, like ids that repeat across exports or names, and keeps a real category', async () => {
    const ids = await decide(rows((row) => `N${Math.floor(row / 2)}A${row % 2}`).concat(rows((row) => `N${row}A1`).slice(0, 10)));
    expect(ids.decision).toMatchObject({ role: 'dropped', reason: expect.stringMatching(/^\d+ of its \d+ values are distinct \(like an identifier or a name\)$/) });
    expect((await decide(rows((row) => ['Biscoe', 'Dream', 'Torgersen'][row % 3] ?? ''))).decision.role).toBe('categorical');
  });

  it('drops a column with one value only, and one where every value is missing', async () => {
    expect((await decide(rows(() => 'Anvers'))).decision).toMatchObject({ role: 'dropped', reason: 'one value only ("Anvers")' });
    expect((await decide(rows((row) => (row % 2 ? '7' : 'NA')))).decision).toMatchObject({ role: 'dropped', reason: 'one value only (7)' });
    expect((await decide(rows(() => 'NA'))).decision).toMatchObject({ role: 'dropped', reason: 'every value is missing' });
  });

  it('treats every value of the missing list as missing, and only those', async () => {
    const { profile } = await decide(rows((row) => ['', 'NA', 'N/A', 'null', 'NaN', '?', '.', '-', 'x'][row % 9]));
    expect(profile).toMatchObject({ missing: 36, distinct: 1 });
    const custom = await decide(rows((row) => (row % 4 === 0 ? '-999' : row)), { missingValues: ['-999'] });
    expect(custom.profile.missing).toBe(10);
  });
});

describe('decideRole: the pipeline’s roles', () => {
  it('keeps the role the pipeline sets over what inference would say', async () => {
    const sequence = rows((row) => row);
    expect((await decide(sequence, { columns: { numeric: ['column'] } })).decision).toMatchObject({ role: 'numeric', origin: 'pipeline' });
    expect((await decide(sequence, { columns: { categorical: ['column'] } })).decision).toMatchObject({ role: 'categorical', origin: 'pipeline' });
    expect((await decide(sequence, { categoricalColumns: ['column'] })).decision).toMatchObject({ role: 'categorical', origin: 'pipeline' });
    expect((await decide(rows((row) => row % 3), { columns: { drop: ['column'] } })).decision).toMatchObject({ role: 'dropped', origin: 'pipeline', reason: 'set by the pipeline (columns.drop)' });
  });

  it('reads a column the pipeline sets as dates, and names a value that is not one', async () => {
    const dates = rows((row) => `2012-02-${String(1 + (row % 28)).padStart(2, '0')}T10:00:00Z`);
    expect((await decide(dates, { columns: { date: ['column'] } })).decision).toMatchObject({ role: 'date', origin: 'pipeline' });
    const years = rows((row) => 2000 + (row % 5));
    await expect(decide(years, { columns: { date: ['column'] } })).rejects.toThrow(/test\.csv: column "column" is set as a date \(columns\.date\) but holds "2000" in data row 1; expected a date such as 2007-11-11/);
  });

  it('drops a column the pipeline sets but that holds no value, with a warning', async () => {
    expect((await decide(rows(() => 'NA'), { columns: { numeric: ['column'] } })).decision).toMatchObject({
      role: 'dropped',
      reason: 'every value is missing',
      warnings: ['set as numeric by the pipeline, but it holds no value'],
    });
  });
});
