import { datasetSourceSchema, type DatasetSourceInput } from '@slipway/contracts';
import { DatasetError } from '../../errors/dataset.error';
import { pipelineRoles } from './column-roles';

const roles = (overrides: Partial<DatasetSourceInput>) => pipelineRoles(datasetSourceSchema.parse({ uri: 'x.csv', labelColumn: 'label', ...overrides }));

describe('pipelineRoles', () => {
  it('stores categorical and date columns as text and numeric ones as numbers; the rest by their values', () => {
    const set = roles({ columns: { drop: ['notes'], categorical: ['zip'], numeric: ['n'], date: ['day'] }, categoricalColumns: ['code'] });
    expect(['notes', 'zip', 'code', 'n', 'day', 'other'].map((name) => [name, set.roleOf(name), set.storageOf(name)])).toEqual([
      ['notes', 'drop', 'auto'],
      ['zip', 'categorical', 'text'],
      ['code', 'categorical', 'text'],
      ['n', 'numeric', 'numeric'],
      ['day', 'date', 'text'],
      ['other', undefined, 'auto'],
    ]);
  });

  it('lists every column it names that the data does not have, and the columns it has', () => {
    const set = roles({ columns: { drop: ['Comments'], date: ['Date'] }, categoricalColumns: ['city'] });
    expect(() => set.assertKnown(['Date', 'label'])).toThrow(
      new DatasetError('"Comments" (columns.drop), "city" (columns.categorical) are not in the data; its columns are "Date", "label"'),
    );
    expect(() => set.assertKnown(['Comments', 'Date', 'city', 'label'])).not.toThrow();
  });

  it('refuses a column with two roles, and a role for the label', () => {
    expect(() => roles({ columns: { drop: ['x'], numeric: ['x'] } })).toThrow('column "x" is in both columns.drop and columns.numeric; give it one role');
    expect(() => roles({ columns: { categorical: ['label'] } })).toThrow(/label column "label" is in columns\.categorical: the label has no feature role/);
  });
});
