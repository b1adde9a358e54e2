import { datasetSourceSchema, type DatasetSource, type DatasetSourceInput } from '@slipway/contracts';
import { pipelineRoles } from '../dataset/columns/column-roles';
import { readTable } from '../dataset/readers/read-table';
import { inMemorySource } from '../dataset/sources/raw-source';
import type { Table } from '../dataset/table/table';

/** CSV text read into a table as prepareDataset would read it for this source (roles, missing-value tokens). */
export function tableFromCsv(csv: string, overrides: Partial<DatasetSourceInput> = {}): Promise<{ table: Table; source: DatasetSource }> {
  const source = datasetSourceSchema.parse({ uri: 'test.csv', labelColumn: 'label', ...overrides });
  const raw = inMemorySource('test.csv', 'test.csv', Buffer.from(csv));
  return readTable(raw, { format: 'csv', missingValues: source.missingValues, storageOf: pipelineRoles(source).storageOf }).then((table) => ({ table, source }));
}

/** A CSV of the columns given, one array of cells per column. */
export function csvOf(columns: Record<string, readonly (string | number)[]>): string {
  const names = Object.keys(columns);
  const rows = columns[names[0]].map((_, row) => names.map((name) => columns[name][row]).join(','));
  return [names.join(','), ...rows].join('\n');
}
