import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createMetricsRegistry } from '@slipway/observability';
import { parse } from 'yaml';

/**
 * The Prometheus rules and the Grafana dashboard are only useful if they query series that exist: every metric
 * name in their expressions must appear as a string literal in the code (where it is registered) (or be a process metric of the shared registry).
 */
const WORKSPACE_ROOT = resolve(__dirname, '../../..');
const RULES = 'infra/prometheus/rules/slipway-alerts.yaml';
const DASHBOARD = 'infra/grafana/dashboards/slipway.json';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(path) ? [path] : [];
  });
}

async function knownMetricNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const root of ['libs', 'apps']) {
    for (const project of readdirSync(join(WORKSPACE_ROOT, root), { withFileTypes: true })) {
      if (!project.isDirectory()) continue;
      let files: string[] = [];
      try {
        files = sourceFiles(join(WORKSPACE_ROOT, root, project.name, 'src'));
      } catch {
        continue;
      }
      for (const file of files) {
        for (const match of readFileSync(file, 'utf8').matchAll(/['"`]((?:slipway|nv)_[a-z0-9_]+)['"`]/g)) names.add(match[1] as string);
      }
    }
  }
  for (const metric of await createMetricsRegistry('assets-check').getMetricsAsJSON()) names.add(metric.name);
  return names;
}

/** Series names of a metric: histograms and summaries add suffixes. */
function seriesOf(names: Set<string>): Set<string> {
  const series = new Set(names);
  for (const name of names) for (const suffix of ['_bucket', '_sum', '_count']) series.add(`${name}${suffix}`);
  return series;
}

function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b((?:slipway|nv)_[a-z0-9_]+)\b/g)].map((match) => match[1] as string);
}

function expectBalanced(expr: string): void {
  let depth = 0;
  for (const char of expr) {
    if (char === '(' || char === '{' || char === '[') depth++;
    if (char === ')' || char === '}' || char === ']') depth--;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(depth).toBe(0);
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string };
}

describe('Prometheus alerting rules and Grafana dashboard', () => {
  let series: Set<string>;

  beforeAll(async () => {
    series = seriesOf(await knownMetricNames());
  });

  it('finds the metrics monitoring registers (the check itself can fail)', () => {
    for (const name of ['slipway_feature_drift', 'slipway_live_accuracy', 'slipway_queue_jobs', 'slipway_inference_latency_seconds_bucket']) expect(series).toContain(name);
    expect(series).not.toContain('slipway_process_resident_memory_bytes');
  });

  it('alert on drift, error rate, queue backlog and a missing serving replica, with known metrics only', () => {
    const rules = (parse(readFileSync(join(WORKSPACE_ROOT, RULES), 'utf8')) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap((group) => group.rules);
    const names = rules.map((rule) => rule.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const required of ['SlipwayFeatureDrift', 'SlipwayInferenceErrorRate', 'SlipwayQueueBacklog', 'SlipwayNoServingReplica']) expect(names).toContain(required);
    for (const rule of rules) {
      expect(rule.labels?.severity).toMatch(/^(warning|critical)$/);
      expect(rule.annotations?.summary).toBeTruthy();
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expectBalanced(rule.expr);
      const used = metricsIn(rule.expr);
      expect(used.length).toBeGreaterThan(0);
      for (const metric of used) expect({ rule: rule.alert, metric, known: series.has(metric) }).toEqual({ rule: rule.alert, metric, known: true });
    }
  });

  it('dashboard panels query known metrics only, and cover drift, live accuracy and per-version latency', () => {
    const dashboard = JSON.parse(readFileSync(join(WORKSPACE_ROOT, DASHBOARD), 'utf8')) as { panels: { id: number; title: string; targets: { expr: string }[] }[] };
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ panel: panel.title, expr: target.expr })));
    for (const { panel, expr } of exprs) {
      expectBalanced(expr);
      for (const metric of metricsIn(expr)) expect({ panel, metric, known: series.has(metric) }).toEqual({ panel, metric, known: true });
    }
    const all = exprs.map((e) => e.expr).join('\n');
    for (const metric of ['slipway_feature_drift', 'slipway_live_accuracy', 'slipway_inference_latency_seconds_bucket', 'slipway_queue_jobs']) expect(all).toContain(metric);
  });
});
