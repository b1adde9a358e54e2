import type { DatasetSource } from '@slipway/contracts';
import { DatasetError } from '../../errors/dataset.error';
import type { ColumnStorage } from '../table/column-builder';

/** A role the pipeline gives a column in `columns` (or the legacy `categoricalColumns`). */
export type PipelineRole = 'drop' | 'categorical' | 'numeric' | 'date';

const ROLES: readonly PipelineRole[] = ['drop', 'categorical', 'numeric', 'date'];

/** The roles the pipeline set, checked for contradictions. */
export interface PipelineRoles {
  roleOf(column: string): PipelineRole | undefined;
  /** How to store a column while reading: as the pipeline says, or decided by its values. */
  storageOf(column: string): ColumnStorage;
  /** @throws DatasetError listing every role's column that is not in the data, and the columns that are. */
  assertKnown(columns: readonly string[]): void;
}

/** @throws DatasetError when a column has two roles, or the label has one. */
export function pipelineRoles(source: DatasetSource): PipelineRoles {
  const roles = new Map<string, PipelineRole>();
  const listed: Record<PipelineRole, readonly string[]> = { ...source.columns, categorical: [...source.columns.categorical, ...source.categoricalColumns] };
  for (const role of ROLES) {
    for (const name of listed[role]) {
      const earlier = roles.get(name);
      if (earlier !== undefined && earlier !== role) throw new DatasetError(`column "${name}" is in both columns.${earlier} and columns.${role}; give it one role`);
      roles.set(name, role);
    }
  }
  const labelRole = roles.get(source.labelColumn);
  if (labelRole !== undefined) {
    throw new DatasetError(`label column "${source.labelColumn}" is in columns.${labelRole}: the label has no feature role (set task to classification or regression instead)`);
  }
  return {
    roleOf: (column) => roles.get(column),
    storageOf(column) {
      const role = roles.get(column);
      if (role === 'numeric') return 'numeric';
      return role === 'categorical' || role === 'date' ? 'text' : 'auto';
    },
    assertKnown(columns) {
      const unknown = [...roles.entries()].filter(([name]) => !columns.includes(name));
      if (unknown.length === 0) return;
      const named = unknown.map(([name, role]) => `"${name}" (columns.${role})`).join(', ');
      throw new DatasetError(`${named} ${unknown.length === 1 ? 'is' : 'are'} not in the data; its columns are ${columns.map((name) => `"${name}"`).join(', ')}`);
    },
  };
}
