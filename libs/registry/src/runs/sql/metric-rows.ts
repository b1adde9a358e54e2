import type { MetricPoint } from '@slipway/contracts';
import type { RegistryDb } from '../../database/registry-database.types';

// Under SQLite's bound-parameter cap: 5 columns × 500 rows.
const METRIC_INSERT_CHUNK = 500;

export interface UpsertMetricsOptions {
  /**
   * Keep the timestamp already stored for a (key, step) and replace only the value: for the final
   * history of a training, whose epochs were first recorded live with the time they ended.
   * @defaultValue false
   */
  keepTimestamps?: boolean;
}

/** Writes points; a point at a (key, step) already stored replaces it, so retried work overwrites what it repeats. */
export async function upsertMetrics(db: RegistryDb, runId: string, points: readonly MetricPoint[], options: UpsertMetricsOptions = {}): Promise<void> {
  // One row per (key, step) inside a statement: PostgreSQL refuses to update a row twice in one upsert.
  const unique = [...new Map(points.map((p) => [`${p.key}\u0000${p.step}`, p])).values()];
  for (let i = 0; i < unique.length; i += METRIC_INSERT_CHUNK) {
    const rows = unique.slice(i, i + METRIC_INSERT_CHUNK).map((p) => ({ run_id: runId, key: p.key, step: p.step, value: p.value, timestamp: p.timestamp }));
    await db
      .insertInto('run_metrics')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['run_id', 'key', 'step'])
          .doUpdateSet((eb) => (options.keepTimestamps ? { value: eb.ref('excluded.value') } : { value: eb.ref('excluded.value'), timestamp: eb.ref('excluded.timestamp') })),
      )
      .execute();
  }
}

/** The value at the highest step of every metric of each run, by run id. */
export async function loadLatestMetrics(db: RegistryDb, runIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const latest = new Map<string, Record<string, number>>(runIds.map((id) => [id, {}]));
  if (runIds.length === 0) return latest;
  const rows = await db
    .selectFrom('run_metrics as m')
    .select(['m.run_id', 'm.key', 'm.value'])
    .where('m.run_id', 'in', runIds)
    .where((eb) =>
      eb(
        'm.step',
        '=',
        eb
          .selectFrom('run_metrics as n')
          .select((inner) => inner.fn.max('n.step').as('step'))
          .whereRef('n.run_id', '=', 'm.run_id')
          .whereRef('n.key', '=', 'm.key'),
      ),
    )
    .orderBy('m.key')
    .execute();
  for (const row of rows) {
    const metrics = latest.get(row.run_id);
    if (metrics) metrics[row.key] = row.value;
  }
  return latest;
}
