import { describeZodError } from '../zod-errors';
import { compareRunsQuerySchema, runSearchQuerySchema } from './tracking.schema';

/** The query object as the HTTP layer hands it over (node querystring semantics: split at the first "="). */
function query(text: string): Record<string, string | string[]> {
  const parsed: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = parsed[key];
    parsed[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return parsed;
}

describe('runSearchQuerySchema', () => {
  it('defaults to the newest 50 runs', () => {
    expect(runSearchQuerySchema.parse({})).toEqual({ tags: [], metrics: [], orderBy: { kind: 'field', field: 'createdAt' }, order: 'desc', limit: 50 });
  });

  it.each([
    ['metric.testAccuracy>=0.9', '>=', 0.9],
    ['metric.testAccuracy<=0.9', '<=', 0.9],
    ['metric.testAccuracy!=0.9', '!=', 0.9],
    ['metric.testAccuracy=0.9', '=', 0.9],
    ['metric.testAccuracy>0.9', '>', 0.9],
    ['metric.testAccuracy<-1e-3', '<', -0.001],
    ['metric.testAccuracy%3E%3D0.9', '>=', 0.9],
  ])('reads %s whichever way the query string split it', (text, operator, value) => {
    expect(runSearchQuerySchema.parse(query(text)).metrics).toEqual([{ key: 'testAccuracy', operator, value }]);
  });

  it('combines filters, repeated metric keys included, and orders by a metric', () => {
    const search = runSearchQuerySchema.parse(
      query('experiment=tuning&status=succeeded&tag.team=vision&metric.loss<0.5&metric.loss>0.1&orderBy=metric.val/acc&order=asc&limit=5'),
    );
    expect(search).toEqual({
      experiment: 'tuning',
      status: 'succeeded',
      tags: [{ key: 'team', value: 'vision' }],
      metrics: [
        { key: 'loss', operator: '<', value: 0.5 },
        { key: 'loss', operator: '>', value: 0.1 },
      ],
      orderBy: { kind: 'metric', key: 'val/acc' },
      order: 'asc',
      limit: 5,
    });
  });

  it.each([
    ['metric.testAccuracy>=high', 'metric.testAccuracy>'],
    ['metric.testAccuracy~0.9', 'metric.testAccuracy~0.9'],
    ["metric.x;drop table runs>=1", 'metric.x;drop table runs>'],
    ['tag.bad key=x', 'tag.bad key'],
    ['orderBy=id; drop table runs', 'orderBy'],
    ['status=paused', 'status'],
    ['limit=0', 'limit'],
    ['where=1', 'where'],
  ])('rejects %j naming the field', (text, field) => {
    const parsed = runSearchQuerySchema.safeParse(query(text));
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(describeZodError(parsed.error)).toContain(field);
  });
});

describe('compareRunsQuerySchema', () => {
  it('splits comma-separated ids', () => {
    expect(compareRunsQuerySchema.parse({ ids: 'run-a, run-b,run-c' }).ids).toEqual(['run-a', 'run-b', 'run-c']);
  });

  it.each(['run-a', 'run-a,run-a', ''])('rejects %j', (ids) => {
    expect(compareRunsQuerySchema.safeParse({ ids }).success).toBe(false);
  });
});
