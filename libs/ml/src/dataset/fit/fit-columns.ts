import type { ColumnReport, DatasetSource } from '@slipway/contracts';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { profileColumn } from '../columns/column-profile';
import type { PipelineRoles } from '../columns/column-roles';
import { decideRole, type RoleDecision } from '../columns/decide-role';
import { formatShare } from '../report/format';
import type { Table, TableColumn } from '../table/table';
import { fitCategorical } from './fit-categorical';
import { fitDate } from './fit-date';
import { fitNumeric } from './fit-numeric';
import { droppedColumn, type FittedColumn } from './fitted-column';

/** A column with more missing values than this share is worth a warning, whatever was done with it. */
export const MOSTLY_MISSING_SHARE = 0.5;

/** A feature column fitted, with its report line. */
export interface FittedFeatureColumn {
  column: TableColumn;
  fitted: FittedColumn;
  report: ColumnReport;
}

/**
 * Decides every feature column's role (the pipeline's, or inferred from all rows) and fits it on the train rows.
 * Yields to the event loop between columns, so a long preparation never starves the job lock's renewal.
 */
export async function fitColumns(table: Table, labelName: string, trainRows: readonly number[], source: DatasetSource, roles: PipelineRoles): Promise<FittedFeatureColumn[]> {
  const fitted: FittedFeatureColumn[] = [];
  for (const column of table.columns) {
    if (column.name === labelName) continue;
    const profile = profileColumn(column);
    const decision = decideRole(column, profile, roles.roleOf(column.name), table.source);
    const result = decision.role === 'dropped' ? droppedColumn(decision.reason, decision.warnings) : fitRole(decision, trainRows, source);
    const missingShare = table.rowCount === 0 ? 0 : profile.missing / table.rowCount;
    const warnings = missingShare > MOSTLY_MISSING_SHARE && result.kind !== 'dropped' ? [`${formatShare(missingShare)} of its values are missing`, ...result.warnings] : result.warnings;
    fitted.push({
      column,
      fitted: result,
      report: { name: column.name, kind: result.kind, source: decision.origin, missing: profile.missing, missingShare, distinct: profile.distinct, action: result.action, warnings },
    });
    await nextTurn();
  }
  return fitted;
}

function fitRole(decision: Exclude<RoleDecision, { role: 'dropped' }>, trainRows: readonly number[], source: DatasetSource): FittedColumn {
  switch (decision.role) {
    case 'numeric':
      return fitNumeric(decision.column, trainRows, source.imputation);
    case 'date':
      return fitDate(decision.column, trainRows);
    case 'categorical':
      return fitCategorical(decision.column, trainRows, source);
  }
}
