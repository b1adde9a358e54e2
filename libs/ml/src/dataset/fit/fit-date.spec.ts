import { csvOf, tableFromCsv } from '../../testing/table-from-csv';
import type { TextColumn } from '../table/table';
import { fitDate } from './fit-date';

async function fit(cells: readonly string[], trainRows: readonly number[]) {
  const { table } = await tableFromCsv(csvOf({ day: cells, label: cells.map(() => 'a') }), { columns: { date: ['day'] } });
  return fitDate(table.columns[0] as TextColumn, trainRows);
}

describe('fitDate', () => {
  // Sunday 2012-01-01 (day 1), Monday 2013-01-07 (day 7), Wednesday 2014-03-05 (day 64).
  const days = ['2012-01-01', '2013-01-07', 'NA', '2014-03-05T08:00:00Z'];

  it('standardises each UTC part with the train mean and std, and records the range of the values read', async () => {
    const fitted = await fit(days, [0, 1, 2, 3]);
    if (fitted.kind !== 'date' || fitted.feature.kind !== 'date') throw new Error('expected a date feature');
    const means = Object.fromEntries(fitted.feature.parts.map(({ part, mean }) => [part, mean]));
    expect(means).toEqual({ year: 2013, month: 5 / 3, dayOfWeek: 4 / 3, dayOfYear: 24 });
    const year = fitted.feature.parts[0];
    expect(year.scale).toBeCloseTo(Math.sqrt(2 / 3), 10);
    expect(fitted.feature.statistics).toEqual({ count: 3, min: '2012-01-01', max: '2014-03-05T08:00:00Z', missing: 1 });
    expect(fitted.action).toBe("year, month, day of week, day of year (UTC), each standardised; missing → each part's mean");
  });

  it('uses scale 1 for a part that does not vary, and drops a date without a train value', async () => {
    const fitted = await fit(['2012-05-01', '2012-05-01'], [0, 1]);
    expect(fitted.kind === 'date' && fitted.feature.kind === 'date' && fitted.feature.parts.map(({ scale }) => scale)).toEqual([1, 1, 1, 1]);
    expect(await fit(days, [2])).toMatchObject({ kind: 'dropped', action: 'dropped: no value in the train split' });
  });
});
