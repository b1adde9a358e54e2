import type { MetricOperator, RunSearch } from '@slipway/contracts';
import type { ComparisonOperator, ExpressionBuilder } from 'kysely';
import type { RegistryDatabase, RegistryDb } from '../database/registry-database.types';

const SQL_OPERATORS: Record<MetricOperator, ComparisonOperator> = { '=': '=', '!=': '<>', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

type RunsScope = ExpressionBuilder<RegistryDatabase, 'runs'>;

/** The value at the highest step of one metric of the run in scope, as a scalar subquery. */
function latestMetric(eb: RunsScope, key: string) {
  return eb
    .selectFrom('run_metrics as m')
    .select('m.value')
    .whereRef('m.run_id', '=', 'runs.id')
    .where('m.key', '=', key)
    .orderBy('m.step', 'desc')
    .limit(1);
}

/**
 * Ids of the runs matching the search, in its order. Filter keys and values are bound parameters and
 * operators come from a fixed table, so no part of the request becomes SQL text.
 */
export async function searchRunIds(db: RegistryDb, search: RunSearch): Promise<string[]> {
  let query = db.selectFrom('runs').select('runs.id');
  if (search.experiment !== undefined) query = query.where('runs.experiment', '=', search.experiment);
  if (search.status !== undefined) query = query.where('runs.status', '=', search.status);
  for (const tag of search.tags) {
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('run_tags as t').select('t.run_id').whereRef('t.run_id', '=', 'runs.id').where('t.key', '=', tag.key).where('t.value', '=', tag.value)),
    );
  }
  for (const metric of search.metrics) {
    query = query.where((eb) => eb(latestMetric(eb, metric.key), SQL_OPERATORS[metric.operator], metric.value));
  }
  const { orderBy, order } = search;
  // Runs without the value sort last either way (SQLite and PostgreSQL disagree on where NULL goes).
  if (orderBy.kind === 'metric') {
    query = query.orderBy((eb) => eb(latestMetric(eb, orderBy.key), 'is', null)).orderBy((eb) => latestMetric(eb, orderBy.key), order);
  } else {
    const column = orderBy.field === 'createdAt' ? 'runs.created_at' : 'runs.finished_at';
    query = query.orderBy((eb) => eb(column, 'is', null)).orderBy(column, order);
  }
  const rows = await query.orderBy('runs.created_at', 'desc').orderBy('runs.id', 'desc').limit(search.limit).execute();
  return rows.map((row) => row.id);
}
