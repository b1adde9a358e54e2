import { DatasetError } from '../../errors/dataset.error';
import { csvOf, tableFromCsv } from '../../testing/table-from-csv';
import { labelColumn, labelNeedsText } from './label-column';

const rows = 100;
const feature = Array.from({ length: rows }, (_, row) => row % 7);

async function label(values: readonly (string | number)[], task?: 'classification' | 'regression') {
  const { table, source } = await tableFromCsv(csvOf({ x: feature.slice(0, values.length), label: values }), task ? { task } : {});
  return { table, decided: labelColumn(table, source) };
}

describe('labelColumn: the task', () => {
  it('learns text as classes', async () => {
    const { decided } = await label(feature.map((value) => ['cat', 'dog', 'cow'][value % 3]));
    expect(decided).toMatchObject({ task: 'classification', origin: 'inferred', distinct: 3 });
  });

  it('learns a numeric label with at most 20 distinct values as classes, named as the data spells them', async () => {
    const { decided } = await label(feature.map((value) => value * 10));
    expect(decided.task).toBe('classification');
    expect(decided.task === 'classification' && decided.classOf(3)).toBe('30');
  });

  it('learns a numeric label with more than 20 distinct values as a regression', async () => {
    const { decided } = await label(Array.from({ length: rows }, (_, row) => row % 21));
    expect(decided).toMatchObject({ task: 'regression', distinct: 21 });
    expect(decided.task === 'regression' && decided.valueOf(5)).toBe(5);
  });

  it('refuses classification of a continuous-looking label, pointing to task: regression', async () => {
    const measurements = Array.from({ length: rows }, (_, row) => (row % 30) + 0.5);
    await expect(label(measurements, 'classification')).rejects.toThrow(
      new DatasetError('label column "label" looks continuous: 30 distinct numbers, not all integers; a classifier would learn one class per value. Set task: regression to predict the value (or bin it into classes first)'),
    );
    const manyIntegers = Array.from({ length: rows }, (_, row) => row % 25);
    await expect(label(manyIntegers, 'classification')).rejects.toThrow(/25 distinct numbers, more than 5% of its 100 rows; .*Set task: regression/);
  });

  it('accepts classification the pipeline asks for on many integer classes among many rows', async () => {
    const classes = Array.from({ length: 1_000 }, (_, row) => row % 30);
    const { table, source } = await tableFromCsv(csvOf({ x: classes, label: classes }), { task: 'classification' });
    expect(labelColumn(table, source)).toMatchObject({ task: 'classification', origin: 'pipeline', distinct: 30 });
  });

  it('refuses regression of a label that is not numeric, and of a constant one', async () => {
    await expect(label(feature.map((value) => `k${value}`), 'regression')).rejects.toThrow(
      'label column "label" holds text such as "k0" (data row 1): a regression needs a numeric label; set task: classification or fix the values',
    );
    await expect(label(feature.map(() => 4), 'regression')).rejects.toThrow('label column "label" has one value only (4): a regression has nothing to learn');
  });

  it('refuses a single class', async () => {
    await expect(label(feature.map(() => 'a'))).rejects.toThrow('label column "label" has 1 class (a); a classifier needs at least 2');
  });
});

describe('labelColumn: rows', () => {
  it('drops rows whose label is missing and counts them', async () => {
    const { decided } = await label(feature.map((value, row) => (row % 10 === 0 ? 'NA' : ['a', 'b'][value % 2])));
    expect(decided.missing).toBe(10);
    expect(decided.rows).toHaveLength(90);
    expect(decided.rows).not.toContain(0);
  });

  it('names the missing label column and lists the columns there are', async () => {
    const { table, source } = await tableFromCsv(csvOf({ x: [1, 2], y: ['a', 'b'] }), { labelColumn: 'species' });
    expect(() => labelColumn(table, source)).toThrow('label column "species" is not in the data; its columns are "x", "y"');
  });

  it('asks for the label as text when its numbers lost their spelling ("1.0")', async () => {
    const { table, decided } = await label(feature.map((value) => `${value % 3}.0`));
    expect(decided.task).toBe('classification');
    expect(labelNeedsText(table, decided)).toBe(true);
    const canonical = await label(feature.map((value) => value % 3));
    expect(labelNeedsText(canonical.table, canonical.decided)).toBe(false);
  });
});
