import { headlineMetricOf, isTrainedVersion, type DashboardSnapshot, type Run } from '@slipway/contracts';
import type { RegistryClient } from '@slipway/registry-client';
import type { DriftAlerts } from '../alerts/drift-alerts';
import type { DriftTracker } from '../drift/drift-tracker';
import type { LiveAccuracy } from '../feedback/live-accuracy';
import type { PlatformMetrics } from '../platform-metrics';
import type { RunTracker } from '../runs/run-tracker';
import { stepGroupsOf } from './step-groups';

const RUNS_SHOWN = 12;

/** What the dashboard asks the registry. */
export type DashboardRegistry = Pick<RegistryClient, 'listRuns' | 'getRun' | 'listModels'>;

/** Where a snapshot's figures come from: monitoring's own aggregates, and the registry for runs and models. */
export interface DashboardSources {
  platform: PlatformMetrics;
  runTracker: RunTracker;
  drift: DriftTracker;
  live: LiveAccuracy;
  alerts: Pick<DriftAlerts, 'list'>;
  registry: DashboardRegistry;
}

/** One snapshot of every figure the dashboard draws; finished runs are read from the registry once and kept. */
export class DashboardService {
  private readonly finishedRuns = new Map<string, Run>();

  constructor(private readonly sources: DashboardSources) {}

  async snapshot(now = new Date()): Promise<DashboardSnapshot> {
    const { platform, drift, live, alerts } = this.sources;
    const inference = platform.versionStats();
    let runs: DashboardSnapshot['runs'] = null;
    let models: DashboardSnapshot['models'] = null;
    let registryError: string | null = null;
    try {
      [runs, models] = await Promise.all([this.latestRuns(), this.models()]);
    } catch (error) {
      registryError = (error as Error).message;
    }
    const modelNames = [...new Set([...(models ?? []).map((m) => m.name), ...inference.map((v) => v.model)])].sort();
    return {
      generatedAt: now.toISOString(),
      queues: platform.summary(now).queues,
      inference,
      runs,
      models,
      registryError,
      drift: modelNames.map((model) => drift.report(model)),
      accuracy: modelNames.map((model) => live.report(model)),
      alerts: alerts.list().slice(0, 20),
    };
  }

  private async latestRuns(): Promise<NonNullable<DashboardSnapshot['runs']>> {
    const { registry, runTracker } = this.sources;
    const summaries = await registry.listRuns({ limit: RUNS_SHOWN });
    const live = new Map(runTracker.snapshot().map((run) => [run.runId, run]));
    const runs = await Promise.all(summaries.map((summary) => this.finishedRuns.get(summary.id) ?? registry.getRun(summary.id)));
    const shown = new Set(runs.map((run) => run.id));
    for (const run of runs) if (run.status === 'succeeded' || run.status === 'failed') this.finishedRuns.set(run.id, run);
    for (const id of this.finishedRuns.keys()) if (!shown.has(id)) this.finishedRuns.delete(id);
    return runs.map((run) => ({
      id: run.id,
      pipelineName: run.pipelineName,
      status: run.status,
      createdAt: run.createdAt,
      steps: Object.fromEntries(run.steps.map((step) => [step.name, step.status])),
      stepGroups: stepGroupsOf(run.steps),
      epoch: live.get(run.id)?.latest?.epoch ?? run.epochs.at(-1)?.epoch ?? null,
    }));
  }

  private async models(): Promise<NonNullable<DashboardSnapshot['models']>> {
    return (await this.sources.registry.listModels()).map((model) => ({
      name: model.name,
      aliases: model.aliases,
      versions: model.versions.map((v) => ({
        version: v.version,
        createdAt: v.createdAt,
        headline: isTrainedVersion(v) ? headlineMetricOf(v.metrics) : null,
        format: v.format,
        aliases: v.aliases,
      })),
    }));
  }
}
