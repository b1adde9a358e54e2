import { DatasetError } from '../../errors/dataset.error';
import type { NumericColumn, TableColumn, TextColumn } from '../table/table';
import { DATE_SPELLING, parseIsoLikeDate } from '../values/iso-like-date';
import type { ColumnProfile } from './column-profile';
import type { PipelineRole } from './column-roles';

/** Fewer values than this are too few to call a column an identifier because they all differ. */
export const MIN_VALUES_FOR_IDENTIFIER = 20;

/**
 * Text with more distinct values than this share of its values names rows rather than describing them (ids that
 * repeat across exports, names): one-hot or hashed, its values would be learnt one row at a time.
 */
export const IDENTIFIER_DISTINCT_SHARE = 0.5;

type Origin = 'pipeline' | 'inferred';

/** What a feature column is before fitting; fitting on the train split may still hash or drop a categorical one. */
export type RoleDecision =
  | { role: 'numeric'; column: NumericColumn; origin: Origin }
  | { role: 'categorical' | 'date'; column: TextColumn; origin: Origin }
  | { role: 'dropped'; origin: Origin; reason: string; warnings: string[] };

/**
 * The pipeline's role when it set one, else inferred from all rows read: every value missing or one value only →
 * dropped; numbers → numeric, unless they are the integers of a sequence (an identifier); text → dates when every
 * value is an ISO-like date, dropped when more than half the values differ (an identifier, a name), else categorical.
 * The pipeline's roles decided how columns were stored (categorical and date as text, numeric as numbers, failing on
 * anything else), so a column's storage already agrees with its role.
 * @throws DatasetError naming the column, row and value when a column the pipeline set as dates holds something else.
 */
export function decideRole(column: TableColumn, profile: ColumnProfile, pipelineRole: PipelineRole | undefined, source: string): RoleDecision {
  const origin: Origin = pipelineRole ? 'pipeline' : 'inferred';
  if (pipelineRole === 'drop') return { role: 'dropped', origin, reason: 'set by the pipeline (columns.drop)', warnings: [] };
  if (profile.distinct === 0) {
    const warnings = pipelineRole ? [`set as ${pipelineRole} by the pipeline, but it holds no value`] : [];
    return { role: 'dropped', origin, reason: 'every value is missing', warnings };
  }
  if (column.storage === 'numeric') {
    if (pipelineRole) return { role: 'numeric', column, origin };
    if (profile.onlyValue !== undefined) return dropped(`one value only (${profile.onlyValue})`);
    const sequence = profile.integerSequence;
    if (sequence && column.values.length - profile.missing >= MIN_VALUES_FOR_IDENTIFIER) {
      return dropped(`every value is distinct (an identifier: the integers ${sequence.min}…${sequence.max} in sequence)`);
    }
    return { role: 'numeric', column, origin };
  }
  if (pipelineRole === 'date') {
    assertDates(column, source);
    return { role: 'date', column, origin };
  }
  if (pipelineRole) return { role: 'categorical', column, origin };
  if (profile.onlyValue !== undefined) return dropped(`one value only (${JSON.stringify(profile.onlyValue)})`);
  if (profile.allDates) return { role: 'date', column, origin };
  const values = column.codes.length - profile.missing;
  if (values >= MIN_VALUES_FOR_IDENTIFIER && profile.allDistinct) return dropped('every value is distinct (an identifier)');
  if (values >= MIN_VALUES_FOR_IDENTIFIER && profile.distinct > IDENTIFIER_DISTINCT_SHARE * values) {
    return dropped(`${profile.distinct} of its ${values} values are distinct (like an identifier or a name)`);
  }
  return { role: 'categorical', column, origin };
}

function dropped(reason: string): RoleDecision {
  return { role: 'dropped', origin: 'inferred', reason, warnings: [] };
}

function assertDates(column: TextColumn, source: string): void {
  const bad = column.dictionary.findIndex((value) => parseIsoLikeDate(value) === undefined);
  if (bad < 0) return;
  const row = column.codes.indexOf(bad);
  throw new DatasetError(
    `${source}: column "${column.name}" is set as a date (columns.date) but holds ${JSON.stringify(column.dictionary[bad])} in data row ${row + 1}; expected ${DATE_SPELLING}`,
  );
}
